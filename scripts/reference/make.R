# Rerun from the repository root: Rscript scripts/reference/make.R
#
# Writes the reference values under stats/testdata/reference/ that
# stats/reference_test.go compares the Go fits with (issue 14). The tests read
# only the JSON; R is needed only to make it again. Needs r-base-core,
# r-cran-survival, r-cran-survey, r-cran-jsonlite (Debian packages).

if (!file.exists("go.mod")) stop("run from the repository root: Rscript scripts/reference/make.R")
suppressPackageStartupMessages({
  library(survival)
  library(survey)
  library(jsonlite)
})

out_dir <- file.path("stats", "testdata", "reference")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

# provenance names the R and package versions that made a file.
provenance <- function(pkgs) {
  v <- vapply(pkgs, function(p) as.character(packageVersion(p)), "")
  list(
    script = "scripts/reference/make.R",
    r_version = R.version.string,
    packages = as.list(v)
  )
}

# write_ref writes x as JSON with full precision (digits = NA: 15 significant digits).
write_ref <- function(x, name) {
  path <- file.path(out_dir, name)
  writeLines(toJSON(x, auto_unbox = TRUE, digits = NA, pretty = TRUE), path)
  cat("wrote", path, "\n")
}

here <- file.path("scripts", "reference")
source(file.path(here, "plackett_luce.R"))
source(file.path(here, "rake.R"))
source(file.path(here, "wilson.R"))
source(file.path(here, "bradley_terry.R"))
