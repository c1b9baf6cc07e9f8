# Wilson score interval against prop.test(x, n, correct = FALSE), whose conf.int
# is the Wilson interval; z = qnorm(0.975) is exported with it.

wilson_cases <- list(
  c(0, 1), c(1, 1), c(0, 10), c(10, 10), c(1, 10), c(9, 10), c(1, 2), c(3, 7),
  c(5, 20), c(45, 100), c(620, 1000), c(1, 1000), c(999, 1000), c(0, 5000),
  c(2500, 5000), c(123456, 1000000), c(1, 10000000)
)
wilson_rows <- lapply(wilson_cases, function(c) {
  # prop.test warns "Chi-squared approximation may be incorrect" for small counts;
  # the interval is exact Wilson all the same.
  ci <- suppressWarnings(prop.test(c[1], c[2], correct = FALSE, conf.level = 0.95))$conf.int
  list(successes = c[1], n = c[2], lo = ci[1], hi = ci[2])
})
cat(sprintf("wilson                 %d cases\n", length(wilson_rows)))
write_ref(list(
  name = "wilson",
  description = "Wilson score intervals at 95%",
  provenance = provenance("stats"),
  method = "prop.test(x, n, correct = FALSE, conf.level = 0.95)$conf.int",
  z = qnorm(0.975),
  cases = wilson_rows
), "wilson.json")
