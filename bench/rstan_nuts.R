# Runs rstan's NUTS (the Stan peer of `samplertune bench nuts`) on one model and data file with the
# same chains, warm-up and draws, chains one after another, and writes the draws and timings.
# usage: Rscript rstan_nuts.R MODEL.stan DATA.json CHAINS WARMUP DRAWS SEED OUT_PREFIX
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(rstan))
model <- stan_model(args[1])                       # compile time is excluded from the timings below
data <- jsonlite::read_json(args[2], simplifyVector = TRUE)
chains <- as.integer(args[3]); warmup <- as.integer(args[4]); draws <- as.integer(args[5])
fit <- sampling(model, data = data, chains = chains, cores = 1, warmup = warmup, iter = warmup + draws,
                seed = as.integer(args[6]), refresh = 0)
elapsed <- get_elapsed_time(fit)                   # per chain: warm-up and sampling seconds
sp <- get_sampler_params(fit, inc_warmup = TRUE)
grads <- sum(sapply(sp, function(s) sum(s[, "n_leapfrog__"])))
arr <- as.array(fit)                               # iterations x chains x parameters (post warm-up)
pars <- setdiff(dimnames(arr)[[3]], "lp__")
out <- do.call(rbind, lapply(seq_len(dim(arr)[2]), function(c) {
  d <- as.data.frame(arr[, c, pars, drop = FALSE][, 1, ]); names(d) <- pars; d$.chain <- c; d }))
write.csv(out, paste0(args[7], "_draws.csv"), row.names = FALSE)
writeLines(sprintf('{"seconds": %.6f, "grad_evals": %.0f}', sum(elapsed), grads), paste0(args[7], "_timing.json"))
