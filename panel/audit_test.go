package panel

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestAudit(t *testing.T) {
	reg := synthRegister(t, 3000, 1)
	l, err := Draw(reg, DrawOptions{Size: 100, Strata: []string{DimKern, DimLeeftijd}, Seed: 18446744073709551557, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	a := l.Audit

	t.Run("JSON", func(t *testing.T) {
		raw, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"seed":"18446744073709551557"`, `"register_sha256":"` + reg.SHA256 + `"`,
			`"drawn_at":"2025-03-03T14:05:00Z"`, `"key":"Oudleusen|65+"`, `"age_groups":[{"label":"16-24","min":16,"max":24}`,
			`"dimensions":["kern","leeftijd"]`, `"method":"Het aantal uitnodigingen`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("got %s, want it to contain %s", raw, want)
			}
		}
		var back Audit
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, a) {
			t.Errorf("got %+v back, want %+v", back, a)
		}
		assertNoAddress(t, string(raw), l)
	})

	t.Run("text", func(t *testing.T) {
		var b strings.Builder
		if err := a.WriteAudit(&b); err != nil {
			t.Fatal(err)
		}
		text := b.String()
		for _, want := range []string{"## Verantwoording van de loting", "Getrokken op: 3 maart 2025, 14:05",
			"Seed: 18446744073709551557", reg.SHA256, "3.000 bewoners", "Getrokken: 100 adressen",
			"Strata: kern en leeftijdsgroep", "16-24 (16–24), 25-44 (25–44), 45-64 (45–64) en 65+ (65–120)",
			"methode van de grootste overschotten (Hamilton", "| Oudleusen · 65+ |", "dezelfde seed geeft de loting precies dezelfde adressen"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q is missing from\n%s", want, text)
			}
		}
		rows := strings.Count(text, "\n| ") - 1 // less the header
		if rows != len(a.Strata) {
			t.Errorf("got %d table rows, want %d", rows, len(a.Strata))
		}
		assertNoAddress(t, text, l)
	})
}

func assertNoAddress(t *testing.T, s string, l *Loting) {
	t.Helper()
	for _, d := range l.Drawn {
		if strings.Contains(s, d.Address) {
			t.Fatalf("the audit names the address %q", d.Address)
		}
	}
}
