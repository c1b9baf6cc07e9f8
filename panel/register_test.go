package panel

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadRegister(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []Resident
	}{
		{"semicolon", "adres;kern;leeftijd\nKerkstraat 1;Dalfsen;40\n",
			[]Resident{{"Kerkstraat 1", "Dalfsen", 40}}},
		{"comma with a BOM, CRLF and odd case", "\ufeffAdres,KERN, Leeftijd\r\n\"Kerkstraat 1, 7721 AB Dalfsen\",Dalfsen,7\r\n",
			[]Resident{{"Kerkstraat 1, 7721 AB Dalfsen", "Dalfsen", 7}}},
		{"columns in another order, spaces collapsed", "leeftijd;adres;kern\n 95 ;  Poëtenlaan   3 ;Oudleusen\n",
			[]Resident{{"Poëtenlaan 3", "Oudleusen", 95}}},
		{"sorted by address, then kern", "adres;kern;leeftijd\nB 1;Ankum;1\nA 2;Welsum;2\nA 2;Ankum;3\n",
			[]Resident{{"A 2", "Ankum", 3}, {"A 2", "Welsum", 2}, {"B 1", "Ankum", 1}}},
		{"a multi-line address", "adres;kern;leeftijd\n\"Hoofdweg 3\n7722 AA Dalfsen\";Dalfsen;0\n",
			[]Resident{{"Hoofdweg 3\n7722 AA Dalfsen", "Dalfsen", 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg, err := ReadRegister(strings.NewReader(c.in))
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if len(reg.Residents) != len(c.want) || reg.Rows != len(c.want) {
				t.Fatalf("got %d residents in %d rows, want %d", len(reg.Residents), reg.Rows, len(c.want))
			}
			for i, r := range reg.Residents {
				if r != c.want[i] {
					t.Errorf("resident %d: got %+v, want %+v", i, r, c.want[i])
				}
			}
			sum := sha256.Sum256([]byte(c.in))
			if got, want := reg.SHA256, hex.EncodeToString(sum[:]); got != want {
				t.Errorf("sha256: got %s, want %s (of the raw bytes)", got, want)
			}
		})
	}
}

func TestReadRegisterErrors(t *testing.T) {
	const h = "adres;kern;leeftijd\n"
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{"empty file", "", []string{"het bestand is leeg"}},
		{"only a BOM", "\ufeff", []string{"het bestand is leeg"}},
		{"only a header", h, []string{"alleen een kopregel, geen bewoners"}},
		{"age not a number", h + "A 1;Dalfsen;40\nA 2;Dalfsen;41\nA 3;Dalfsen;42\nA 4;Dalfsen;43\nA 5;Dalfsen;44\nA 6;Dalfsen;abc\n",
			[]string{`regel 7: leeftijd "abc" is geen getal`}},
		{"age too high", h + "A 1;Dalfsen;121\n", []string{"regel 2: leeftijd 121 ligt niet tussen 0 en 120"}},
		{"age negative", h + "A 1;Dalfsen;-1\n", []string{"regel 2: leeftijd -1 ligt niet tussen 0 en 120"}},
		{"age empty", h + "A 1;Dalfsen;\n", []string{"regel 2: leeftijd is leeg"}},
		{"empty kern", h + "A 1;Dalfsen;3\nA 2; ;4\n", []string{"regel 3: kern is leeg"}},
		{"empty address", h + ";Dalfsen;4\n", []string{"regel 2: adres is leeg"}},
		{"kern with the key separator", h + "A 1;Dal|fsen;4\n", []string{`regel 2: kern "Dal|fsen" bevat een "|"`}},
		{"duplicate address names both lines", h + "Kerkstraat 1;Dalfsen;3\nA 2;Dalfsen;4\nkerkstraat  1;Dalfsen;5\n",
			[]string{"regel 4: hetzelfde adres en dezelfde kern als regel 2"}},
		{"several errors at once", h + "A 1;;x\n", []string{"regel 2: kern is leeg", `regel 2: leeftijd "x" is geen getal`}},
		{"extra columns named", "adres;kern;leeftijd;naam;BSN\nA 1;Dalfsen;3;Jan;123\n",
			[]string{`regel 1: kolommen "naam" en "BSN" horen niet in het bestand`, "privacy"}},
		{"one extra column", "adres,kern,leeftijd,geslacht\n", []string{`regel 1: kolom "geslacht" hoort niet in het bestand`}},
		{"missing column", "adres;kern\nA 1;Dalfsen\n", []string{"regel 1: de kopregel mist de kolom leeftijd"}},
		{"duplicate column", "adres;kern;leeftijd;Kern\n", []string{`regel 1: kolom "kern" staat twee keer in de kopregel`}},
		{"no separator", "adres\nA 1\n", []string{"regel 1: geen scheidingsteken"}},
		{"wrong number of fields", h + "A 1;Dalfsen;3\nA 2;Dalfsen\n", []string{"regel 3: 2 velden, verwacht 3"}},
		{"open quote", h + "\"A 1;Dalfsen;3\n", []string{"regel 2", "aanhalingsteken"}},
		{"not UTF-8", h + "Caf\xe9 1;Dalfsen;3\n", []string{"regel 2: geen geldige UTF-8"}},
		{"line too long", h + "A 1;Dalfsen;3\n" + strings.Repeat("x", 2000) + ";Dalfsen;3\n", []string{"regel 3 is langer dan 1024 tekens"}},
		{"no line end at all", strings.Repeat("adres;", 400), []string{"regel 1 is langer dan 1024 tekens"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadRegister(strings.NewReader(c.in))
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "Kerkstraat") {
				t.Errorf("got %q: an error must not name an address", err)
			}
		})
	}
}

func TestReadRegisterStopsAfterTwentyErrors(t *testing.T) {
	in := "adres;kern;leeftijd\n" + strings.Repeat("A;Dalfsen;x\n", 1000)
	_, err := ReadRegister(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "gestopt na 20 fouten") || strings.Contains(err.Error(), "regel 30:") {
		t.Errorf("got %v, want 20 errors and a stop", err)
	}
}

// TestReadRegisterRowLimit lowers the limit: reading two million rows would take
// most of the test budget under -race.
func TestReadRegisterRowLimit(t *testing.T) {
	defer func(m int) { maxRows = m }(maxRows)
	maxRows = 100
	for _, c := range []struct {
		name    string
		rows    int
		wantErr bool
	}{{"at the limit", 100, false}, {"one over", 101, true}} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("adres;kern;leeftijd\n")
			for i := range c.rows {
				b.WriteString("A " + itoa(i) + ";K;30\n")
			}
			_, err := ReadRegister(strings.NewReader(b.String()))
			if got := err != nil; got != c.wantErr {
				t.Fatalf("got error %v, want an error: %v", err, c.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "meer dan 100 bewoners") {
				t.Errorf("got %q, want the row limit", err)
			}
		})
	}
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		if i /= 10; i == 0 {
			break
		}
	}
	return string(b[n:])
}

func TestReadRegisterReaderError(t *testing.T) {
	boom := errors.New("boom")
	_, err := ReadRegister(io.MultiReader(strings.NewReader("adres;kern;leeftijd\nA;B;3\n"), errReader{boom}))
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want it to wrap the reader's error", err)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestRegisterOrderIndependent: the same rows in another order (and with the other
// separator) give the same residents.
func TestRegisterOrderIndependent(t *testing.T) {
	a, err := ReadRegister(bytes.NewReader(synthCSV(t, 2000, 1, ";")))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadRegister(bytes.NewReader(synthCSV(t, 2000, 2, ",")))
	if err != nil {
		t.Fatal(err)
	}
	if a.SHA256 == b.SHA256 {
		t.Error("two different files have the same sha256")
	}
	if len(a.Residents) != len(b.Residents) {
		t.Fatalf("got %d and %d residents", len(a.Residents), len(b.Residents))
	}
	// the ages are random per file, so compare address and kern
	for i := range a.Residents {
		if a.Residents[i].Address != b.Residents[i].Address || a.Residents[i].Kern != b.Residents[i].Kern {
			t.Fatalf("resident %d: got %+v and %+v", i, a.Residents[i], b.Residents[i])
		}
	}
}
