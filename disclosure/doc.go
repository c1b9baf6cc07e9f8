// Package disclosure is the one rule set that decides what the outputs of a
// round may show: the results (text, JSON, CSV), the personal results and the
// stuurgroep summary, the charts and their alt texts, the digest, the
// dashboard and the publication file. Every output asks the same Decision, so
// no combination of them can undo what one of them hides.
//
// The rules, in plain words:
//
//  1. A cell is a number of respondents in a group: per kern, per
//     leeftijdsgroep, per kern and question, per kern and answer, and so on.
//     A figure of the whole round (the respondents, a question's answers, how
//     often an option was chosen by everyone) is a total, not a cell: totals
//     are always shown, but only when the round has at least the threshold of
//     respondents (see 7).
//  2. A cell with 1 to threshold−1 respondents is never shown (primary
//     suppression). Zero is shown: that nobody in a group chose something says
//     nothing about anyone.
//  3. A percentage is the cell it is a percentage of: a group's percentage is
//     shown only when the group's number and the number the percentage
//     implies are both shown. So 1 of 13 (7,69%) is never shown, and neither
//     is 12 of 13, because 13 − 12 gives the 1 back.
//  4. Wherever shown figures add up to a shown total (the kernen to the
//     respondents, a kern's answers to its number of answers, the kernen's
//     choices of an option to everyone's), the hidden cells of that sum hold
//     at least the threshold together; otherwise more cells are hidden, the
//     smallest first (complementary suppression).
//  5. Then the decision is attacked as an outsider would attack the outputs:
//     every sum, every "at most" (a kern's answers to a question are at most
//     its respondents), every weighted figure and every label ("<10", "≥10")
//     is turned into bounds on the hidden cells, and the bounds are tightened
//     until nothing changes. If a hidden cell under the threshold comes out
//     exact, the nearest shown cell whose hiding closes that gap is hidden too
//     and the attack runs again. A breakdown that cannot be protected this way is withdrawn: it
//     is not shown at all, not even as hidden groups.
//  6. A hidden group that is still listed (a kern in the afspiegeling) says
//     only whether it is under the threshold ("<10") or not ("≥10"); the attack
//     in 5 counts those labels as known.
//  7. Every output of one round asks one Decision. A second output that
//     reveals more (the publication file, the R-score of the groups taken
//     together, the weighting) extends it: what the first decision showed
//     stays shown, and the extension is only published when the attack on the
//     whole finds nothing (Decision.Extend).
//
// What the outputs do with it, outside this package: a round with fewer
// respondents than the threshold shows residents and the stuurgroep no
// numbers at all; exports while a round is open are coarsened to bands of the
// threshold (Band), because differencing two exact exports taken around one
// new response shows that response; the publication file shows a kern or
// leeftijdsgroep only for groups whose every figure it lets anyone count is
// shown by this decision.
package disclosure
