package surveys

import (
	"container/heap"
	"fmt"
	"reflect"
	"slices"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"gopkg.in/yaml.v3"
)

// limProblems is how many problems of one file are listed. A file with more ends
// with "… en nog N problemen" at the position of the first one left out: nobody reads
// past a hundred, and a hostile file must not cost a line per alias it expands.
const limProblems = 100

// limQuoted bounds a value quoted in a message, so that a 5,000-character id does
// not make every message about it 5,000 characters long.
const limQuoted = 100

// problemSet collects the problems of one file, keeping only the limProblems+1
// first by position (the extra one is where the "en nog" line goes). A problem that
// would not be kept is counted and never formatted, so the cost of a flood of
// problems is a counter.
type problemSet struct {
	kept  problemHeap
	total int
}

// seqProblem is a problem with the order it was found in, so that problems at one
// position keep that order.
type seqProblem struct {
	Problem
	seq int
}

func (a seqProblem) before(b seqProblem) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Col != b.Col {
		return a.Col < b.Col
	}
	return a.seq < b.seq
}

// problemHeap is a max-heap: its first element is the last problem kept.
type problemHeap []seqProblem

func (h problemHeap) Len() int           { return len(h) }
func (h problemHeap) Less(i, j int) bool { return h[j].before(h[i]) }
func (h problemHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *problemHeap) Push(x any)        { *h = append(*h, x.(seqProblem)) }
func (h *problemHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// add records a problem at line:col; text (its message and tip) is only called when
// the problem is kept.
func (s *problemSet) add(file string, line, col int, text func() (msg, hint string)) {
	if !s.wants(line, col) {
		s.total++
		return
	}
	p := seqProblem{Problem: Problem{File: file, Line: line, Col: col}, seq: s.total}
	s.total++
	p.Msg, p.Hint = text()
	heap.Push(&s.kept, p)
	if len(s.kept) > limProblems+1 {
		heap.Pop(&s.kept)
	}
}

// wants reports whether a problem found now at line:col would be kept, so that a
// costly part of its message (a suggestion) is only worked out when it is.
func (s *problemSet) wants(line, col int) bool {
	if len(s.kept) <= limProblems {
		return true
	}
	top := s.kept[0]
	return line < top.Line || line == top.Line && col < top.Col
}

// list returns the problems kept in position order, the last one replaced by
// "… en nog N problemen" when some were left out.
func (s *problemSet) list() Problems {
	if s.total == 0 {
		return nil
	}
	sorted := slices.Clone(s.kept)
	slices.SortFunc(sorted, func(a, b seqProblem) int {
		if a.before(b) {
			return -1
		}
		return 1
	})
	out := make(Problems, len(sorted))
	for i, p := range sorted {
		out[i] = p.Problem
	}
	if s.total > limProblems {
		out = out[:limProblems+1]
		more := s.total - limProblems
		out[limProblems].Msg = "… en nog " + dutch.Plural(int64(more), "probleem", "problemen")
		out[limProblems].Hint = ""
		out[limProblems].More = more
	}
	return out
}

// errorf records a problem at node n: the message, formatted, and hint, the tip that
// says how to fix it (see hints.go). String arguments of the message are clipped to
// limQuoted characters: they are values from the file. A hint quotes no value of the
// file longer than that.
func (d *surveyDecoder) errorf(n *yaml.Node, hint, format string, args ...any) {
	d.probs.add(d.file, n.Line, n.Column, func() (string, string) {
		for i, a := range args {
			if v := reflect.ValueOf(a); v.Kind() == reflect.String {
				args[i] = clipValue(v.String())
			}
		}
		return fmt.Sprintf(format, args...), hint
	})
}

// problemAt records a problem that has no node, such as a YAML syntax error.
func (d *surveyDecoder) problemAt(line, col int, msg, hint string) {
	d.probs.add(d.file, line, col, func() (string, string) { return msg, hint })
}

// clipValue shortens a value from the file to limQuoted characters for a message.
func clipValue(s string) string { return cutRunes(s, limQuoted) }

// cutRunes shortens s to n characters, marking the cut with "…". Unlike clip (for
// reports) it keeps the value's spaces and line breaks as they are.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
