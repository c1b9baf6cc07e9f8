package surveys

import (
	"sort"
	"strings"
)

// UnknownGroup is the breakdown group of respondents who did not give their kern
// or leeftijdsgroep: the round's respondents minus those in a known group.
const UnknownGroup = "onbekend"

// Cell is the number of respondents in one group of a breakdown. A suppressed
// cell has Count 0, so no export can leak it; see suppressCells.
type Cell struct {
	Group      string `json:"group"`
	Count      int64  `json:"count"`
	Suppressed bool   `json:"suppressed"`
	// Complementary marks a suppressed cell that itself has at least the
	// threshold, hidden only so that a small cell cannot be recomputed.
	Complementary bool `json:"complementary,omitempty"`
}

// groupCells builds a breakdown from the counters under prefix
// ("respondents:k:"), sorted by group, with the unknown group last when it is
// not empty, and suppresses it.
func groupCells(tallies map[string]int64, prefix string, total int64, threshold int) []Cell {
	cells := []Cell{}
	var known int64
	for k, v := range tallies {
		g, ok := strings.CutPrefix(k, prefix)
		if !ok || g == "" || strings.Contains(g, ":") || v <= 0 {
			continue
		}
		cells = append(cells, Cell{Group: g, Count: v})
		known += v
	}
	sort.Slice(cells, func(i, j int) bool { return cells[i].Group < cells[j].Group })
	if unknown := total - known; unknown > 0 {
		cells = append(cells, Cell{Group: UnknownGroup, Count: unknown})
	}
	suppressCells(cells, threshold)
	return cells
}

// suppressCells hides every cell under threshold. Then, so that a hidden cell
// cannot be recomputed from the total, it keeps hiding the smallest visible cell
// while the hidden cells together hold fewer than threshold respondents: when
// exactly one cell is hidden, the next smallest is always hidden with it.
func suppressCells(cells []Cell, threshold int) {
	if threshold <= 0 {
		return
	}
	t := int64(threshold)
	var hidden, hiddenSum int64
	for i := range cells {
		if cells[i].Count < t {
			hidden++
			hiddenSum += cells[i].Count
			cells[i].Suppressed = true
		}
	}
	for hidden > 0 && hiddenSum < t {
		i := smallestVisible(cells)
		if i < 0 {
			break
		}
		hidden++
		hiddenSum += cells[i].Count
		cells[i].Suppressed, cells[i].Complementary = true, true
	}
	for i := range cells {
		if cells[i].Suppressed {
			cells[i].Count = 0
		}
	}
}

func smallestVisible(cells []Cell) int {
	best := -1
	for i, c := range cells {
		if c.Suppressed {
			continue
		}
		if best < 0 || c.Count < cells[best].Count ||
			(c.Count == cells[best].Count && c.Group < cells[best].Group) {
			best = i
		}
	}
	return best
}
