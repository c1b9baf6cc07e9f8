package panel

import (
	"slices"
	"strings"
	"testing"
)

// FuzzReadRegister: whatever the file, ReadRegister returns an error or a register
// that keeps its promises, and never panics.
func FuzzReadRegister(f *testing.F) {
	for _, s := range []string{
		"adres;kern;leeftijd\nKerkstraat 1;Dalfsen;40\n",
		"\ufeffAdres,Kern,Leeftijd\r\n\"A, 1\",Ankum,7\r\n",
		"adres;kern;leeftijd\n\"Hoofdweg 3\n7722 AA\";Welsum;0\nA;B;abc\n",
		"adres;kern;leeftijd;bsn\n", "", "adres", "adres;kern;leeftijd\nA;B|C;3\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		reg, err := ReadRegister(strings.NewReader(string(in)))
		if err != nil {
			if !strings.Contains(err.Error(), "bevolkingsbestand") {
				t.Errorf("got %q, want it to say what was read", err)
			}
			return
		}
		if reg.Rows != len(reg.Residents) || len(reg.SHA256) != 64 {
			t.Errorf("got %d rows, %d residents, sha %q", reg.Rows, len(reg.Residents), reg.SHA256)
		}
		if !slices.IsSortedFunc(reg.Residents, compareResidents) {
			t.Error("residents not sorted")
		}
		for _, r := range reg.Residents {
			if r.Address == "" || r.Kern == "" || r.Age < 0 || r.Age > MaxAge || strings.Contains(r.Kern, keySep) {
				t.Errorf("got %+v", r)
			}
		}
	})
}

// FuzzNormaliseCode: an accepted code is in the printed form, normalises to itself
// and has a matching check character.
func FuzzNormaliseCode(f *testing.F) {
	for _, s := range []string{NewCode(), "k7qm x3vd r9tc", "0O1IL", "", "----", "ABCD-EFGH-JKMN-P"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := NormaliseCode(in)
		if !ok {
			return
		}
		if !codeShape.MatchString(got) {
			t.Fatalf("NormaliseCode(%q) = %q, not the printed form", in, got)
		}
		if again, ok := NormaliseCode(got); !ok || again != got {
			t.Errorf("NormaliseCode(%q) = %q, %v, want it unchanged", got, again, ok)
		}
	})
}
