# Generates seeded draws and the values R's posterior package gives for them, for the C# diagnostics tests
# (tests/SamplerTune.Samplers.Tests/Diagnostics/PosteriorReferenceTests.cs).
# Run from this folder:  Rscript generate_posterior_reference.R
# Writes posterior_draws_<chains>x<draws>.csv (posterior's draws_df layout: .chain, .iteration, .draw, variables)
# and posterior_reference.csv (one row per file and variable; NA where posterior gives NA).
# Numbers are written with 17 significant digits so the C# side reads back exactly the draws used here.
suppressMessages(library(posterior))

ar1 <- function(n, rho) {
  y <- numeric(n)
  y[1] <- rnorm(1)
  for (i in seq_len(n)[-1]) y[i] <- rho * y[i - 1] + sqrt(1 - rho^2) * rnorm(1)
  y
}
chains_of <- function(m, n, make) sapply(seq_len(m), function(c) make(n))

draws_4x501 <- function() {
  set.seed(20240601)
  m <- 4; n <- 501  # odd length: split drops each chain's middle draw
  v <- list()
  v$iid <- chains_of(m, n, rnorm)
  v$ar_0.5 <- chains_of(m, n, function(n) ar1(n, 0.5))
  v$ar_0.95 <- chains_of(m, n, function(n) ar1(n, 0.95))
  v$ar_0.999 <- chains_of(m, n, function(n) ar1(n, 0.999))
  v$antithetic_0.7 <- chains_of(m, n, function(n) ar1(n, -0.7))
  v$cauchy <- chains_of(m, n, function(n) rt(n, df = 1))
  v$student_t3 <- chains_of(m, n, function(n) rt(n, df = 3))
  x <- chains_of(m, n, rnorm); x[, 3] <- x[, 3] + 1.5; v$shifted_chain <- x
  x <- chains_of(m, n, rnorm); x[, 2] <- 3 * x[, 2]; v$wide_chain <- x
  v$poisson_ties <- chains_of(m, n, function(n) rpois(n, 2))
  v$bernoulli_0.1 <- chains_of(m, n, function(n) rbinom(n, 1, 0.1))
  v$bernoulli_0.02 <- chains_of(m, n, function(n) rbinom(n, 1, 0.02))
  x <- chains_of(m, n, rnorm); x[, 2] <- 3; v$one_constant_chain <- x
  x <- chains_of(m, n, rnorm); x[, 3] <- -1; x[400, 3] <- 2; v$stuck_except_one <- x
  v$all_constant <- matrix(2.5, n, m)
  v$near_constant <- 1 + chains_of(m, n, function(n) 1e-10 * rnorm(n))
  x <- chains_of(m, n, rnorm); x[123, 4] <- NaN; v$with_nan <- x
  x <- chains_of(m, n, rnorm); x[77, 1] <- Inf; v$with_inf <- x
  v
}

draws_1x1000 <- function() {
  set.seed(20240602)
  v <- list()
  v$iid <- matrix(rnorm(1000), ncol = 1)
  v$ar_0.9 <- matrix(ar1(1000, 0.9), ncol = 1)
  x <- matrix(0, 1000, 1); x[500, 1] <- 1; v$stuck_except_one <- x
  v
}

draws_small <- function(m, n, seed) {
  set.seed(seed)
  list(iid = chains_of(m, n, rnorm), ar_0.5 = chains_of(m, n, function(n) ar1(n, 0.5)))
}

fmt <- function(x) ifelse(is.na(x) & !is.nan(x), "NA", sprintf("%.17g", x))

summaries <- function(file, x) {
  quiet <- function(expr) suppressWarnings(expr)  # posterior warns when it caps ESS; the value is what we test
  data.frame(
    file = file, variable = names(x),
    rhat = sapply(x, function(d) quiet(rhat(d))),
    rhat_basic = sapply(x, function(d) quiet(rhat_basic(d))),
    rhat_basic_nosplit = sapply(x, function(d) quiet(rhat_basic(d, split = FALSE))),
    ess_bulk = sapply(x, function(d) quiet(ess_bulk(d))),
    ess_tail = sapply(x, function(d) quiet(ess_tail(d))),
    ess_mean = sapply(x, function(d) quiet(ess_mean(d))),
    ess_basic_nosplit = sapply(x, function(d) quiet(ess_basic(d, split = FALSE))),
    ess_median = sapply(x, function(d) quiet(ess_median(d))),
    ess_q10 = sapply(x, function(d) quiet(ess_quantile(d, 0.1, names = FALSE))),
    mcse_mean = sapply(x, function(d) quiet(mcse_mean(d))),
    mcse_sd = sapply(x, function(d) quiet(mcse_sd(d))),
    mean = sapply(x, function(d) mean(d)),
    sd = sapply(x, function(d) sd(d)),
    stringsAsFactors = FALSE)
}

write_draws <- function(file, x) {
  m <- ncol(x[[1]]); n <- nrow(x[[1]])
  out <- data.frame(.chain = rep(seq_len(m), each = n), .iteration = rep(seq_len(n), m), .draw = seq_len(m * n))
  for (name in names(x)) out[[name]] <- fmt(as.vector(x[[name]]))
  write.csv(out, file, row.names = FALSE, quote = FALSE)
}

sets <- list(
  posterior_draws_4x501.csv = draws_4x501(),
  posterior_draws_1x1000.csv = draws_1x1000(),
  posterior_draws_3x7.csv = draws_small(3, 7, 20240603),
  posterior_draws_2x5.csv = draws_small(2, 5, 20240604))

reference <- NULL
for (file in names(sets)) {
  write_draws(file, sets[[file]])
  reference <- rbind(reference, summaries(file, sets[[file]]))
}
numeric_columns <- setdiff(names(reference), c("file", "variable"))
for (col in numeric_columns) reference[[col]] <- fmt(reference[[col]])
writeLines(sprintf("# posterior %s, %s", packageVersion("posterior"), R.version.string), "posterior_reference.csv")
suppressWarnings(write.table(reference, "posterior_reference.csv", sep = ",", row.names = FALSE, quote = FALSE, append = TRUE))
