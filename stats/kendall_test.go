package stats

import "testing"

func TestKendallTau(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
		want float64
	}{
		{name: "same order", a: []float64{1, 2, 3}, b: []float64{0, 5, 9}, want: 1},
		{name: "reversed", a: []float64{1, 2, 3}, b: []float64{3, 2, 1}, want: -1},
		{name: "one swap of three", a: []float64{1, 2, 3}, b: []float64{2, 1, 3}, want: 1.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KendallTau(tt.a, tt.b); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
