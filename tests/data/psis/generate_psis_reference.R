# Reference values for tests/SamplerTune.Samplers.Tests/Methods/PsisTests.cs, from the R package
# loo 2.5.1 (Debian r-cran-loo). Run from this folder: Rscript generate_psis_reference.R
# Each case writes <case>.csv (log_ratio, log_weight as loo::psis returns them, r_eff = 1);
# pareto_k.csv lists loo's k-hat per case. The inputs are stored, so the C# test does not
# need R's random number generator.
suppressMessages(library(loo))
stopifnot(packageVersion("loo") == "2.5.1")
set.seed(20240601)
rgpd <- function(n, k, sigma) sigma * expm1(-k * log(runif(n))) / k   # inverse CDF, u ~ U(0,1)
x1 <- rnorm(1000)
x2 <- rnorm(4000)
x3 <- rnorm(3000)
x5 <- rnorm(200)
cases <- list(
  # q = N(0, 1), p = N(0, 2): true k = 1 - 1/2 = 0.5
  normal_wider_target = dnorm(x1, 0, sqrt(2), log = TRUE) - dnorm(x1, log = TRUE),
  # q = N(0, 1), p = N(0, 0.5): bounded ratios, k < 0
  normal_narrower_target = dnorm(x2, 0, sqrt(0.5), log = TRUE) - dnorm(x2, log = TRUE),
  # ratios drawn from a generalized Pareto with k = 0.7
  gpd_heavy = log(rgpd(2000, 0.7, 1.3)),
  # q = N(0, 1), p = Student t with 2 df: heavier-tailed target, k near 1
  student_t_target = dt(x3, df = 2, log = TRUE) - dnorm(x3, log = TRUE),
  # short sample: S = 200, tail of 40 (the 0.2 S branch of n_pareto is the smaller one below S = 225)
  short_sample = dnorm(x5, 0.3, 1.5, log = TRUE) - dnorm(x5, log = TRUE)
)
ks <- data.frame(case = character(), k = numeric())
for (name in names(cases)) {
  lr <- cases[[name]]
  fit <- suppressWarnings(psis(lr, r_eff = 1))
  lw <- as.vector(fit$log_weights)  # smoothed, not normalized (do_psis_i's output)
  write.csv(data.frame(log_ratio = sprintf("%.17g", lr), log_weight = sprintf("%.17g", lw)),
            paste0(name, ".csv"), row.names = FALSE, quote = FALSE)
  ks <- rbind(ks, data.frame(case = name, k = sprintf("%.17g", pareto_k_values(fit))))
}
write.csv(ks, "pareto_k.csv", row.names = FALSE, quote = FALSE)
