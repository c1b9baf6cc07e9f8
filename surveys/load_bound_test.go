package surveys

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// problemsOf parses data and returns its problems, failing when it has none.
func problemsOf(t testing.TB, data []byte) Problems {
	t.Helper()
	s, err := Parse("test.yaml", data)
	if err == nil {
		t.Fatalf("got survey %q, want problems", s.ID)
	}
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("got error %T %v, want Problems", err, err)
	}
	return probs
}

// at returns the text of data from line:col on, at most n bytes.
func at(data []byte, line, col, n int) string {
	lines := strings.SplitAfter(string(data), "\n")
	if line < 1 || line > len(lines) || col < 1 || col > len(lines[line-1]) {
		return fmt.Sprintf("<no position %d:%d>", line, col)
	}
	rest := lines[line-1][col-1:]
	return rest[:min(n, len(rest))]
}

func TestParseBounds(t *testing.T) {
	nested := func(depth int) string { return strings.Repeat("[", depth) + strings.Repeat("]", depth) }
	tests := []struct {
		name string
		file string
		// want is the message; wantAt the text the problem points at.
		want, wantAt string
	}{
		{name: "aliases expand past the node limit",
			file: bombHead + "questions: [&q {id: q, type: single, text: t, options: [&o a" +
				strings.Repeat(",*o", 99) + "]}" + strings.Repeat(",*q", 600) + "]\n",
			want:   "te veel verwijzingen (YAML-aliassen): uitgepakt zou dit bestand meer dan 50.000 onderdelen (YAML-knopen) bevatten",
			wantAt: "*q"},
		{name: "aliases expand past the text limit",
			file: bombHead + "t: &t " + strings.Repeat("a", 4000) + "\nquestions: [" +
				strings.TrimSuffix(strings.Repeat("*t,", 2000), ",") + "]\n",
			want:   "te veel verwijzingen (YAML-aliassen): uitgepakt zou dit bestand meer dan 4 MB tekst bevatten",
			wantAt: "*t"},
		{name: "literal nodes past the limit",
			file:   bombHead + "x: {" + strings.TrimSuffix(strings.Repeat("a,", limNodes/2), ",") + "}\n",
			want:   "dit bestand is te groot: het bevat meer dan 50.000 onderdelen (YAML-knopen)",
			wantAt: ",a"}, // the empty value of a key near the end
		{name: "alias inside its own anchor",
			file:   bombHead + "questions: &l [*l]\n",
			want:   "verwijzing naar zichzelf: de YAML-alias *l staat binnen het anker &l en kan niet worden uitgepakt",
			wantAt: "*l]"},
		{name: "nested too deep",
			file:   "x: " + nested(limDepth) + "\n",
			want:   "te diep genest: meer dan 20 niveaus",
			wantAt: "[]"},
		{name: "nested too deep through an alias",
			file:   "a: &a " + nested(10) + "\nb: " + nested(10)[:10] + "*a" + nested(10)[10:] + "\n",
			want:   "te diep genest: uitgepakt gaat deze verwijzing (YAML-alias *a) meer dan 20 niveaus diep",
			wantAt: "*a"},
		{name: "text too long to check",
			file:   strings.Replace(baseSurvey, "text: Vraag", "text: "+strings.Repeat("é", limScalarChars+1), 1),
			want:   "deze tekst is met 5.001 tekens te lang",
			wantAt: "é"},
		{name: "long key",
			file:   baseSurvey + "? " + strings.Repeat("k", limScalarChars+1) + "\n: 1\n",
			want:   "deze tekst is met 5.001 tekens te lang",
			wantAt: "kkk"},
		{name: "file too big",
			file:   baseSurvey + "# " + strings.Repeat("x", limFileBytes) + "\n",
			want:   "dit bestand is te groot: 65 KiB",
			wantAt: "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := problemsOf(t, []byte(tt.file))
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(probs), clipValue(probs.Error()))
			}
			if got := probs[0].Msg; got != tt.want {
				t.Errorf("got message %q, want %q", got, tt.want)
			}
			if got := at([]byte(tt.file), probs[0].Line, probs[0].Col, len(tt.wantAt)); got != tt.wantAt {
				t.Errorf("got position %d:%d at %q, want at %q", probs[0].Line, probs[0].Col, got, tt.wantAt)
			}
		})
	}
}

// TestParseBoundsKeepLongTexts checks that texts up to limScalarChars still get the
// message of their own field.
func TestParseBoundsKeepLongTexts(t *testing.T) {
	file := strings.Replace(baseSurvey, "text: Vraag", "text: "+strings.Repeat("a", limScalarChars), 1)
	want := `test.yaml:16:11: vraag "q1": text is te lang: 5.000 tekens, hoogstens 1.000`
	if probs := problemsOf(t, []byte(file)); len(probs) != 1 || probs[0].Error() != want {
		got := probs.Error()
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestParseAliasesWithinBounds checks that aliases a real survey might use (one
// option list for several questions) are still accepted.
func TestParseAliasesWithinBounds(t *testing.T) {
	file := bombHead + "questions:\n" +
		"  - {id: q1, type: single, text: Eerste, options: &opties [Ja, Nee, Weet niet], &opt optional: true}\n" +
		"  - {id: q2, type: single, text: Tweede, options: *opties, *opt : true}\n"
	s, err := Parse("test.yaml", []byte(file))
	if err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
	if got := optionLabels(s.Questions[1].Options); strings.Join(got, ",") != "Ja,Nee,Weet niet" {
		t.Errorf("got options %v of q2, want Ja, Nee, Weet niet", got)
	}
	if !s.Questions[1].Optional {
		t.Errorf("got q2 not optional, want the aliased key optional: true read")
	}
}

func TestParseProblemsCapped(t *testing.T) {
	// Each extra top-level field "xN" is one problem, after "missing field title"
	// at 1:1 (title is replaced); so n fields give n+1 problems.
	file := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "x%d: 1\n", i)
		}
		return strings.Replace(baseSurvey, "title: Test\n", b.String(), 1)
	}
	tests := []struct {
		name   string
		fields int
		last   string // the last problem
	}{
		{"exactly the limit", limProblems - 1, `test.yaml:100:1: het veld "x98" bestaat niet`},
		{"one more", limProblems, `test.yaml:101:1: … en nog 1 probleem`},
		{"many more", 5000, `test.yaml:101:1: … en nog 4.901 problemen`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := problemsOf(t, []byte(file(tt.fields)))
			want := min(tt.fields+1, limProblems+1)
			if len(probs) != want {
				t.Fatalf("got %d problems, want %d", len(probs), want)
			}
			if got := probs[len(probs)-1].Error(); got != tt.last {
				t.Errorf("got last problem %q, want %q", got, tt.last)
			}
			if got := probs.Count(); got != tt.fields+1 {
				t.Errorf("got Count %d, want %d", got, tt.fields+1)
			}
			if got := probs[1].Error(); got != `test.yaml:2:1: het veld "x0" bestaat niet` {
				t.Errorf("got second problem %q, want the first unknown field", got)
			}
		})
	}
}

// TestParseProblemsCappedKeepsFirst checks that the problems listed are the first by
// position even when an alias makes the decoder find earlier ones last.
func TestParseProblemsCappedKeepsFirst(t *testing.T) {
	var b strings.Builder
	b.WriteString(bombHead + "questions:\n  - &q {id: q, type: single, text: t, options: [a, b], vroeg: 1}\n")
	for i := range limQuestions - 2 {
		fmt.Fprintf(&b, "  - {id: q%d, type: single, text: t, options: [a, b], laat: 1, later: 2, laatst: 3}\n", i)
	}
	b.WriteString("  - *q\n")
	probs := problemsOf(t, []byte(b.String()))
	// The alias at the end repeats the problems of q on line 14, which come first;
	// the 144 problems of the lines between are cut at the limit.
	var got []string
	for _, p := range probs[:5] {
		got = append(got, fmt.Sprintf("%d:%d %s", p.Line, p.Col, p.Msg))
	}
	want := []string{
		`14:13 het vraag-id "q" staat er al, op regel 14`,
		`14:56 vraag "q": het veld "vroeg" bestaat niet`,
		`14:56 vraag "q": het veld "vroeg" bestaat niet`,
		`15:54 vraag "q0": het veld "laat" bestaat niet`,
		`15:63 vraag "q0": het veld "later" bestaat niet`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if last := probs[len(probs)-1].Msg; last != "… en nog 47 problemen" {
		t.Errorf("got last %q, want … en nog 47 problemen", last)
	}
}

func TestParseQuestionsPastLimitNotChecked(t *testing.T) {
	file := baseSurvey + manyQuestions(limQuestions+9) + "  - {id: q1, type: nee}\n"
	probs := problemsOf(t, []byte(file))
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "te veel vragen: 61, hoogstens 50") {
		t.Errorf("got %v, want only the too many questions problem", probs)
	}
}

func TestParseMessagesClipValues(t *testing.T) {
	long := strings.Repeat("k", 300)
	probs := problemsOf(t, []byte(strings.Replace(baseSurvey, "  trede:", "  "+long+": 1\n  trede:", 1)))
	want := `participatiekaart: het veld "` + long[:limQuoted] + `…" bestaat niet`
	if len(probs) != 1 || probs[0].Msg != want {
		t.Errorf("got %v, want one problem %q", probs, want)
	}
}

// TestParseAliasBombBounded validates the worst files we could build within the
// upload limit, in several shapes: each takes well under a second and allocates
// under 50 MB. Allocated bytes are deterministic; the time bound is generous for a
// busy 2-core CI machine (the files take milliseconds), and longer under -race.
func TestParseAliasBombBounded(t *testing.T) {
	const (
		maxTime  = time.Second * raceSlowdown
		maxAlloc = 50 << 20
	)
	for _, b := range bombs() {
		t.Run(b.name, func(t *testing.T) {
			if len(b.data) > maxUpload {
				t.Fatalf("got a %d-byte file, want at most %d (the upload limit)", len(b.data), maxUpload)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := Parse("bomb.yaml", b.data)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes: %v, %.1f MB allocated", len(b.data), took, float64(alloc)/(1<<20))
			if took > maxTime {
				t.Errorf("took %v, want under %v", took, maxTime)
			}
			if alloc > maxAlloc {
				t.Errorf("allocated %d bytes, want under %d", alloc, maxAlloc)
			}
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("got %v, want Problems", err)
			}
			switch {
			case b.refused && len(probs) != 1:
				t.Errorf("got %d problems, want 1 refusal: %v", len(probs), clipValue(probs.Error()))
			case !b.refused && len(probs) < 2:
				t.Errorf("got %v, want the file walked and its problems listed", probs)
			case len(probs) > limProblems+1:
				t.Errorf("got %d problems, want at most %d", len(probs), limProblems+1)
			}
		})
	}
}

// BenchmarkValidateAliasBomb parses each hostile file of bombs:
// go test -run='^$' -bench=ValidateAliasBomb -benchmem ./surveys
func BenchmarkValidateAliasBomb(b *testing.B) {
	for _, bm := range bombs() {
		b.Run(strings.ReplaceAll(bm.name, " ", "-"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.data)))
			for b.Loop() {
				if _, err := Parse("bomb.yaml", bm.data); err == nil {
					b.Fatal("got no problems, want the file refused")
				}
			}
		})
	}
}
