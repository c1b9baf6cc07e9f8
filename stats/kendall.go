package stats

// KendallTau is Kendall's τ-a between two score vectors of the same length:
// (concordant − discordant pairs) / all pairs, ties counting as neither. It
// is how the simulations judge a fitted ranking against the true one.
func KendallTau(a, b []float64) float64 {
	var c, d float64
	for i := range a {
		for j := i + 1; j < len(a); j++ {
			switch s := (a[i] - a[j]) * (b[i] - b[j]); {
			case s > 0:
				c++
			case s < 0:
				d++
			}
		}
	}
	n := float64(len(a))
	return (c - d) / (n * (n - 1) / 2)
}
