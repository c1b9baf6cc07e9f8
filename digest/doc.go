// Package digest builds the periodic digest for the stuurgroep: what happened
// in the participation rounds of a period, as one short chat message and as a
// full report in Markdown and in HTML.
//
// The report covers, per round, the response, the afspiegeling (R-indicator
// with the response rates per group, R-score, the groups taken together and
// the weighting), a headline per question with its chart, and the
// themes of the open answers; then the procesevaluatie per round and over the
// period, and the rounds whose promised terugkoppeling is overdue.
//
// The digest only shows what results.Results already give, so it inherits
// their suppression of small groups; it never counts per group itself and it
// never quotes an open answer, only the themes and their counts.
package digest
