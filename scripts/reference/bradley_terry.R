# Bradley–Terry on pair counts against a binomial glm on the paired design:
# one row per compared pair {i, j} with cbind(wins of i, wins of j) and the
# covariate +1 for i, −1 for j, option 0 left out as the reference (θ_0 = 0), no
# intercept. Where BradleyTerry2 is installed, BTm must give the same worths.

bt_fit <- function(ids, w) {
  n <- length(ids)
  rows <- which(upper.tri(w) & (w + t(w)) > 0, arr.ind = TRUE)
  X <- matrix(0, nrow(rows), n)
  X[cbind(seq_len(nrow(rows)), rows[, 1])] <- 1
  X[cbind(seq_len(nrow(rows)), rows[, 2])] <- -1
  X <- X[, -1, drop = FALSE]
  y <- cbind(w[rows], t(w)[rows])
  fit <- withCallingHandlers(
    glm(y ~ X - 1, family = binomial, control = glm.control(epsilon = 1e-15, maxit = 100)),
    warning = function(e) stop("glm: ", conditionMessage(e)))
  if (!fit$converged) stop("glm did not converge")
  theta <- c(0, unname(coef(fit)))
  d <- outer(theta, theta, "-")
  ll <- sum(w * log(plogis(d)))
  score <- rowSums(w * plogis(-d)) - colSums(w * plogis(-d))
  if (requireNamespace("BradleyTerry2", quietly = TRUE)) {
    p1 <- factor(ids[rows[, 1]], levels = ids)
    p2 <- factor(ids[rows[, 2]], levels = ids)
    bt <- BradleyTerry2::BTm(y, p1, p2, refcat = ids[1],
                             control = glm.control(epsilon = 1e-15, maxit = 100))
    stopifnot(max(abs(c(0, unname(coef(bt))) - theta)) < 1e-8)
  }
  vc <- matrix(0, n, n)
  vc[-1, -1] <- unname(vcov(fit))
  list(theta = theta, vcov = vc, loglik = ll, iter = fit$iter, max_abs_score = max(abs(score)))
}

bt_reference <- function(name, description, seed, ids, w) {
  fit <- bt_fit(ids, w)
  idx <- which(w > 0, arr.ind = TRUE)
  pairs <- lapply(seq_len(nrow(idx)), function(k) {
    list(winner = ids[idx[k, 1]], loser = ids[idx[k, 2]], count = w[idx[k, , drop = FALSE]])
  })
  cat(sprintf("%-22s n=%2d pairs=%3d iter=%d loglik=%.10f max|score|=%.2e\n",
              name, length(ids), length(pairs), fit$iter, fit$loglik, fit$max_abs_score))
  write_ref(c(list(
    name = name,
    description = description,
    provenance = provenance(c("stats", if (requireNamespace("BradleyTerry2", quietly = TRUE)) "BradleyTerry2")),
    method = "glm(cbind(wins_i, wins_j) ~ X - 1, family = binomial, control = glm.control(epsilon = 1e-15, maxit = 100)), X = +1 for i, -1 for j, option 0 dropped",
    seed = seed,
    ids = ids,
    pairs = pairs
  ), fit), paste0("bt_", name, ".json"))
}

# Direct pair comparisons of six options named as in a round.
local({
  ids <- c("bankjes", "fietspad", "speeltuin", "bomen", "verlichting", "parkeren")
  theta <- c(0, 0.5, 1.0, -0.4, 0.2, -1.1)
  n <- length(ids)
  set.seed(3401)
  w <- matrix(0, n, n)
  for (k in 1:1200) {
    s <- sample.int(n, 2)
    if (runif(1) < plogis(theta[s[1]] - theta[s[2]])) w[s[1], s[2]] <- w[s[1], s[2]] + 1
    else w[s[2], s[1]] <- w[s[2], s[1]] + 1
  }
  bt_reference("pairs6", "6 options, 1200 pair comparisons", 3401, ids, w)
})

# The pair tallies the bot keeps from the triads of pl_8x300.json: a pick
# "w over {l1, l2}" counts as w > l1 and w > l2 (the composite likelihood).
local({
  pl <- fromJSON(file.path(out_dir, "pl_8x300.json"))
  n <- pl$n
  w <- matrix(0, n, n)
  for (k in seq_len(nrow(pl$picks))) {
    for (l in pl$picks[k, 2:3]) w[pl$picks[k, 1] + 1, l + 1] <- w[pl$picks[k, 1] + 1, l + 1] + 1
  }
  bt_reference("triads_8x300", "the pair tallies of the 300 triads of pl_8x300.json, options named o0..o7", 1401,
               paste0("o", 0:(n - 1)), w)
})
