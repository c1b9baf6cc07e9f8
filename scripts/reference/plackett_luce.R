# Plackett–Luce top-1 on triads against the conditional logit (survival::clogit).
#
# A triad pick "w out of {a, b, c}" is one stratum of three rows with option
# indicators as covariates and the chosen row 1; the clogit likelihood is then the
# top-1 (Luce) likelihood, the coefficients are the log-worths with option 0 as the
# reference (θ_0 = 0), and loglik[2] is the maximum log-likelihood. method = "exact"
# (clogit's default); with one event per stratum the exact, Breslow and Efron
# likelihoods are the same. toler.chol is lowered below eps, as coxph.control
# requires. vcov is the inverse observed information at the maximum.

# simulate_triads draws m triads of distinct options out of n uniformly and a
# winner with probability ∝ exp(theta); rows are winner, loser, loser (0-based).
simulate_triads <- function(n, m, theta) {
  picks <- matrix(0L, m, 3)
  for (k in seq_len(m)) {
    s <- sample.int(n, 3) - 1L
    w <- sample.int(3, 1, prob = exp(theta[s + 1]))
    picks[k, ] <- c(s[w], s[-w])
  }
  picks
}

# strongly_connected tells whether every option beats, directly or through
# others, every other (Hunter 2004, assumption 1): only then the ML fit exists.
strongly_connected <- function(n, picks) {
  reach <- function(adj) {
    seen <- c(TRUE, rep(FALSE, n - 1))
    todo <- 1
    while (length(todo) > 0) {
      i <- todo[1]; todo <- todo[-1]
      nxt <- which(adj[i, ] & !seen)
      seen[nxt] <- TRUE
      todo <- c(todo, nxt)
    }
    all(seen)
  }
  adj <- matrix(FALSE, n, n)
  for (k in seq_len(nrow(picks))) adj[picks[k, 1] + 1, picks[k, 2:3] + 1] <- TRUE
  reach(adj) && reach(t(adj))
}

# top1_loglik and top1_score are the log-likelihood of the picks at theta and its
# gradient, computed directly, to check clogit's maximum.
top1_probs <- function(theta, picks) {
  e <- matrix(exp(theta[picks + 1]), ncol = 3)
  e / rowSums(e)
}
top1_loglik <- function(theta, picks) sum(log(top1_probs(theta, picks)[, 1]))
top1_score <- function(n, theta, picks) {
  p <- top1_probs(theta, picks)
  g <- tabulate(picks[, 1] + 1, n)
  for (j in 1:3) {
    g <- g - vapply(0:(n - 1), function(i) sum(p[picks[, j] == i, j]), 0)
  }
  g
}

fit_clogit <- function(n, picks) {
  m <- nrow(picks)
  opt <- as.vector(t(picks))
  long <- data.frame(stratum = rep(seq_len(m), each = 3), chosen = rep(c(1, 0, 0), m))
  for (i in 1:(n - 1)) long[[paste0("o", i)]] <- as.numeric(opt == i)
  f <- reformulate(c(paste0("o", 1:(n - 1)), "strata(stratum)"), response = "chosen")
  # Any warning (no convergence, "coefficient may be infinite") stops the script.
  fit <- withCallingHandlers(
    clogit(f, data = long, method = "exact",
           control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)),
    warning = function(w) stop("clogit: ", conditionMessage(w)))
  if (fit$iter >= 100) stop("clogit did not converge")
  fit
}

pl_reference <- function(name, description, seed, n, m, true_theta, accept = function(p) TRUE) {
  set.seed(seed)
  repeat {
    picks <- simulate_triads(n, m, true_theta)
    if (strongly_connected(n, picks) && accept(picks)) break
  }
  fit <- fit_clogit(n, picks)
  theta <- c(0, unname(coef(fit)))
  vc <- matrix(0, n, n)
  vc[-1, -1] <- unname(vcov(fit))
  ll <- top1_loglik(theta, picks)
  stopifnot(abs(ll - fit$loglik[2]) < 1e-9 * abs(ll))
  score <- top1_score(n, theta, picks)
  cat(sprintf("%-22s n=%2d m=%4d iter=%d loglik=%.10f max|score|=%.2e\n",
              name, n, m, fit$iter, fit$loglik[2], max(abs(score))))
  write_ref(list(
    name = name,
    description = description,
    provenance = provenance("survival"),
    method = "survival::clogit(chosen ~ o1 + ... + o<n-1> + strata(triad), method = \"exact\", control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))",
    seed = seed,
    n = n,
    true_theta = true_theta,
    picks = picks,
    theta = theta,
    vcov = vc,
    loglik = fit$loglik[2],
    loglik_null = fit$loglik[1],
    iter = fit$iter,
    max_abs_score = max(abs(score))
  ), paste0("pl_", name, ".json"))
}

losses_of <- function(picks, i) sum(picks[, 2:3] == i)

pl_reference("8x300", "8 options, 300 triads, moderate worths", 1401, 8, 300,
             c(0, 0.4, -0.3, 0.8, -0.6, 0.1, 1.2, -1.0))
pl_reference("30x2000", "30 options, 2000 triads, worths spread over about ±1.5", 1402, 30, 2000,
             round(1.5 * sin(2.4 * (1:30)), 3))
pl_reference("near_separated", "6 options, 500 triads; option 5 loses only once or twice, so its ML worth is far out",
             1403, 6, 500, c(0, 0.3, -0.2, 0.5, -0.4, 6),
             accept = function(p) losses_of(p, 5) %in% 1:2)
pl_reference("near_separated_group", "8 options in two groups of four; the strong group (4-7) loses to the weak one only once or twice",
             1406, 8, 600, c(0, 0.3, -0.2, 0.4, 6.5, 6.8, 6.2, 7.0),
             accept = function(p) sum(p[, 1] < 4 & (p[, 2] >= 4 | p[, 3] >= 4)) %in% 1:2)
pl_reference("near_separated_long", "4 options, 1500 triads; option 3 is in about 1100 of them and loses only once or twice",
             1407, 4, 1500, c(0, 0.2, -0.3, 7.5),
             accept = function(p) losses_of(p, 3) %in% 1:2)
pl_reference("dominant", "5 options, 400 triads; option 3 is picked in nearly every triad it is in",
             1404, 5, 400, c(0, -0.3, 0.2, 4.5, 0.4),
             accept = function(p) losses_of(p, 3) >= 3)
pl_reference("single_set", "3 options, so every triad is {0, 1, 2}; option 1 wins nearly always (the ML worths are proportional to the wins)",
             1405, 3, 200, c(0, 3.5, 0.5))
