package surveys

import (
	"reflect"
	"testing"
)

func TestEncodeDecodeAnswer(t *testing.T) {
	tests := []struct {
		name string
		q    Question
		a    Answer
		want string
	}{
		{"single", Question{Type: Single}, Answer{Options: []string{"voor"}}, "ovoor"},
		{"likert", Question{Type: Likert}, Answer{Options: []string{"4"}}, "o4"},
		{"rating", Question{Type: Rating}, Answer{Options: []string{"10"}}, "o10"},
		{"multiple", Question{Type: Multiple}, Answer{Options: []string{"groen", "bus"}}, "mgroen,bus"},
		{"multiple, none ticked", Question{Type: Multiple}, Answer{}, "m"},
		{"open", Question{Type: Open}, Answer{Text: "Meer groen, minder {verkeer}; graag"}, "tMeer groen, minder {verkeer}; graag"},
		{"wie van de drie", Question{Type: WieVanDeDrie}, Answer{Winner: "a", Losers: []string{"b", "c"}}, "wa,b,c"},
		{"skipped", Question{Type: WieVanDeDrie}, Answer{Skipped: true}, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EncodeAnswer(tt.q, tt.a)
			if got != tt.want {
				t.Fatalf("encode: got %q, want %q", got, tt.want)
			}
			back, err := DecodeAnswer(got)
			if err != nil || !reflect.DeepEqual(back, tt.a) {
				t.Errorf("decode: got %+v %v, want %+v", back, err, tt.a)
			}
		})
	}
	// what versions before the compact form stored
	if a, err := DecodeAnswer(`{"winner":"a","losers":["b","c"]}`); err != nil || a.Winner != "a" || len(a.Losers) != 2 {
		t.Errorf("JSON: got %+v %v", a, err)
	}
	for _, bad := range []string{"", "x12", "-extra", "w", "{kapot"} {
		if a, err := DecodeAnswer(bad); err == nil {
			t.Errorf("decode %q: got %+v, want an error", bad, a)
		}
	}
}
