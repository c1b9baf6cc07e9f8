// Package stats is the mathematics behind the results, without any survey or round
// in it: the Wilson interval of a share (also at Kish's effective n, for weighted
// shares), the R-indicator of representativeness with its interval, raking
// (iterative proportional fitting) to population margins and Kish's effective
// sample size, and the scoring of "wie van de drie": the top-1 Plackett–Luce fit
// by Newton's method with its covariance (choice.go), ChosenFromThree with its
// band (chosen.go), the question's counters read into choices (ChoicesFromTallies,
// PairChoices), and
// AdaptiveTriad, the choice of the next triad to show. Options are plain indices
// or string ids; it imports nothing of this module, so surveys and results both
// stand on it.
package stats
