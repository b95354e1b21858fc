// logistic_correlated as SamplerTune defines it (src/Samplers/Problems/LogisticCorrelatedPosterior.cs):
// intercept alpha and coefficients beta with normal(0, prior_scale) priors, Bernoulli-logit likelihood.
data {
  int<lower=0> N;
  int<lower=0> D;
  matrix[N, D] X;
  int<lower=0, upper=1> y[N];
  real<lower=0> prior_scale;
}
parameters {
  real alpha;
  vector[D] beta;
}
model {
  alpha ~ normal(0, prior_scale);
  beta ~ normal(0, prior_scale);
  y ~ bernoulli_logit(alpha + X * beta);
}
