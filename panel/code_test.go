package panel

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

var codeShape = regexp.MustCompile(`^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`)

func TestAlphabet(t *testing.T) {
	if len(Alphabet) != 31 {
		t.Fatalf("got %d characters, want 31 (a prime, for the check)", len(Alphabet))
	}
	for _, bad := range "0O1IL" {
		if strings.ContainsRune(Alphabet, bad) {
			t.Errorf("the alphabet has the ambiguous %q", bad)
		}
	}
	if got := float64(codeData) * math.Log2(float64(len(Alphabet))); got < 50 {
		t.Errorf("got %.1f random bits, want at least 50", got)
	}
}

func TestCodes(t *testing.T) {
	const n = 100_000
	seen := make(map[string]bool, n)
	counts := make([]int, len(Alphabet)) // of the data characters, for uniformity
	for range n {
		c := NewCode()
		if !codeShape.MatchString(c) {
			t.Fatalf("got %q, want the shape XXXX-XXXX-XXXX from the alphabet", c)
		}
		if seen[c] {
			t.Fatalf("got %q twice", c)
		}
		seen[c] = true
		if got, ok := NormaliseCode(c); !ok || got != c {
			t.Fatalf("NormaliseCode(%q): got %q, %v", c, got, ok)
		}
		for _, r := range Compact(c)[:codeData] {
			counts[strings.IndexRune(Alphabet, r)]++
		}
	}
	// each character is 1/31 of n·11 = 35,484 draws; a standard deviation is ~185, so a
	// bias such as a plain modulo of a byte (+3%) shows, chance does not
	want := float64(n*codeData) / 31
	for i, c := range counts {
		if d := float64(c) - want; d > 6*185 || d < -6*185 {
			t.Errorf("character %q: got %d, want about %.0f", Alphabet[i], c, want)
		}
	}
}

// TestCheckCharacter changes every position of many codes to every other character
// and swaps every pair of different characters: the proof in NewCode says all are
// caught, so the bound asserted is 100%.
func TestCheckCharacter(t *testing.T) {
	subst, caughtSubst, swaps, caughtSwaps := 0, 0, 0, 0
	for range 2000 {
		c := []byte(Compact(NewCode()))
		for i := range c {
			orig := c[i]
			for j := range len(Alphabet) {
				if Alphabet[j] == orig {
					continue
				}
				c[i] = Alphabet[j]
				subst++
				if _, ok := NormaliseCode(string(c)); !ok {
					caughtSubst++
				}
			}
			c[i] = orig
			for k := i + 1; k < len(c); k++ {
				if c[i] == c[k] {
					continue
				}
				c[i], c[k] = c[k], c[i]
				swaps++
				if _, ok := NormaliseCode(string(c)); !ok {
					caughtSwaps++
				}
				c[i], c[k] = c[k], c[i]
			}
		}
	}
	if caughtSubst != subst {
		t.Errorf("single substitutions: got %d of %d caught, want all", caughtSubst, subst)
	}
	if caughtSwaps != swaps {
		t.Errorf("transpositions: got %d of %d caught, want all", caughtSwaps, swaps)
	}
	t.Logf("caught %d/%d substitutions and %d/%d transpositions", caughtSubst, subst, caughtSwaps, swaps)
}

func TestNormaliseCode(t *testing.T) {
	code := NewCode()
	compact := Compact(code)
	lower := strings.ToLower(compact)
	cases := []struct {
		name string
		in   string
		ok   bool
	}{
		{"as printed", code, true},
		{"without dashes", compact, true},
		{"lower case", strings.ToLower(code), true},
		{"spaces instead of dashes", strings.ReplaceAll(code, "-", " "), true},
		{"spaces around and inside", "  " + lower[:3] + " " + lower[3:7] + "  " + lower[7:] + " ", true},
		{"extra dashes", "--" + compact[:2] + "-" + compact[2:] + "-", true},
		{"a character short", compact[:11], false},
		{"a character more", compact + "2", false},
		{"empty", "", false},
		{"a zero", "0" + compact[1:], false},
		{"an O", "O" + compact[1:], false},
		{"a one", "1" + compact[1:], false},
		{"an I", "I" + compact[1:], false},
		{"an L", "l" + compact[1:], false},
		{"a symbol", "#" + compact[1:], false},
		{"a non-ASCII letter", "É" + compact[1:], false},
		{"very long", strings.Repeat(" ", 100) + compact, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := NormaliseCode(c.in)
			if ok != c.ok {
				t.Fatalf("NormaliseCode(%q): got ok %v, want %v", c.in, ok, c.ok)
			}
			if ok && got != code {
				t.Errorf("got %q, want %q", got, code)
			}
		})
	}
}

func TestHashCode(t *testing.T) {
	key := []byte("a secret key of thirty-two bytes")
	code := NewCode()
	h := HashCode(key, code)
	if len(h) != 64 {
		t.Fatalf("got %q, want 64 hex digits", h)
	}
	if got := HashCode(key, strings.ToLower(Compact(code))); got != h {
		t.Errorf("the typed form hashes to %s, want %s (the printed form's)", got, h)
	}
	if HashCode([]byte("another key"), code) == h {
		t.Error("another key gives the same hash")
	}
	if HashCode(key, NewCode()) == h {
		t.Error("another code gives the same hash")
	}
	if strings.Contains(h, Compact(code)) {
		t.Error("the hash shows the code")
	}
}

func TestNewInvites(t *testing.T) {
	reg := synthRegister(t, 3000, 1)
	l, err := Draw(reg, DrawOptions{Size: 300, Strata: []string{DimKern}, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := NewInvites(l)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv) != len(l.Drawn) {
		t.Fatalf("got %d invites, want %d", len(inv), len(l.Drawn))
	}
	seen := map[string]bool{}
	for i, v := range inv {
		d := l.Drawn[i]
		if v.Address != d.Address || v.Kern != d.Kern || v.Stratum != d.Stratum {
			t.Errorf("invite %d: got %+v, want the drawn %+v", i, v, d)
		}
		if _, ok := NormaliseCode(v.Code); !ok || seen[v.Code] {
			t.Errorf("invite %d: code %q invalid or repeated", i, v.Code)
		}
		if strings.Contains(v.Code, d.Kern) {
			t.Errorf("invite %d: the code carries the kern", i)
		}
		seen[v.Code] = true
	}
	if _, err := NewInvites(&Loting{}); err == nil {
		t.Error("no one drawn: got no error")
	}
}
