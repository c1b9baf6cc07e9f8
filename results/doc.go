// Package results turns a round's tallies into its results: per question the counts,
// shares with Wilson intervals, the wie-van-de-drie ranking and the themes of the
// open answers (Compute, Live), the afspiegeling by kern and age group with its
// R-indicator and R-score, the weighting to the population with an effective n
// and intervals per question, and every rendering of them: text, CSV
// and JSON, the raw answers per respondent (also for publication), the personal and
// the stuurgroep summaries. Every rendering goes through the round's one disclosure
// decision, so small groups are suppressed alike everywhere. It builds on surveys
// (the model and the tally names), stats, themes and disclosure.
package results
