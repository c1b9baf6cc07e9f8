# Raking against survey::rake.
#
# Respondents start at weight 1 (svydesign without weights, one stage, no
# clusters); population margins are given as totals share × number of
# respondents. survey::rake stops when no cell of the full cross-table changes by
# more than epsilon × the total weight between two passes; epsilon = 1e-14 and
# maxit = 1000 leave its weights at the fixed point to about the last bits. The
# exported weights are rescaled to mean 1, as stats.Rake returns them.

# rake_reference draws respondents from the groups with probabilities resp (per
# dimension, multiplied), rakes them to shares and writes the JSON.
rake_reference <- function(name, description, seed, m, groups, resp, shares) {
  set.seed(seed)
  dims <- names(groups)
  df <- as.data.frame(lapply(dims, function(d) {
    factor(sample(groups[[d]], m, replace = TRUE, prob = resp[[d]]), levels = groups[[d]])
  }), col.names = dims)
  pop <- lapply(dims, function(d) {
    x <- data.frame(factor(groups[[d]], levels = groups[[d]]), shares[[d]] * m)
    names(x) <- c(d, "Freq")
    x
  })
  design <- suppressWarnings(svydesign(ids = ~1, data = df)) # "assuming equal probability"
  raked <- withCallingHandlers(
    rake(design, lapply(dims, function(d) reformulate(d)), pop,
         control = list(maxit = 1000, epsilon = 1e-14)),
    warning = function(w) stop("rake: ", conditionMessage(w)))
  w <- unname(weights(raked))
  w <- w / mean(w)
  worst <- 0
  for (d in dims) {
    got <- tapply(w, df[[d]], sum) / sum(w)
    worst <- max(worst, abs(got - shares[[d]]))
  }
  stopifnot(worst < 1e-12)
  cat(sprintf("%-22s m=%4d dims=%s max|share error|=%.2e weights %.4f..%.4f\n",
              name, m, paste(dims, collapse = "×"), worst, min(w), max(w)))
  margins <- lapply(dims, function(d) {
    list(dimension = d, shares = as.list(setNames(shares[[d]], groups[[d]])))
  })
  respondents <- lapply(seq_len(m), function(i) {
    as.list(setNames(vapply(dims, function(d) as.character(df[[d]][i]), ""), dims))
  })
  write_ref(list(
    name = name,
    description = description,
    provenance = provenance("survey"),
    method = "survey::rake(svydesign(ids = ~1, data = respondents), list(~dim, ...), population totals share × m, control = list(maxit = 1000, epsilon = 1e-14)); weights rescaled to mean 1",
    seed = seed,
    margins = margins,
    respondents = respondents,
    weights = w,
    max_abs_share_error = worst
  ), paste0("rake_", name, ".json"))
}

kern <- c("centrum", "noord", "oost", "zuid")
leeftijd <- c("18-29", "30-44", "45-59", "60-74", "75+")

rake_reference("kern_leeftijd", "400 respondents, kern (4) × leeftijd (5), the young and the centrum under-represented",
  2401, 400,
  groups = list(kern = kern, leeftijd = leeftijd),
  resp = list(kern = c(0.15, 0.30, 0.25, 0.30), leeftijd = c(0.08, 0.17, 0.25, 0.30, 0.20)),
  shares = list(kern = c(0.30, 0.25, 0.25, 0.20), leeftijd = c(0.20, 0.25, 0.25, 0.18, 0.12)))

rake_reference("small_group", "150 respondents, kern (4) × leeftijd (5) × geslacht (2); kern oost and leeftijd 18-29 have only a handful of respondents",
  2402, 150,
  groups = list(kern = kern, leeftijd = leeftijd, geslacht = c("man", "vrouw")),
  resp = list(kern = c(0.40, 0.35, 0.03, 0.22), leeftijd = c(0.03, 0.20, 0.27, 0.30, 0.20),
              geslacht = c(0.4, 0.6)),
  shares = list(kern = c(0.30, 0.25, 0.25, 0.20), leeftijd = c(0.20, 0.25, 0.25, 0.18, 0.12),
                geslacht = c(0.49, 0.51)))
