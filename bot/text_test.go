package bot

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSplitAndClip(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want []string
	}{
		{"short", "hallo", 10, []string{"hallo"}},
		{"at a line break", "aaaaa\nbbbbbb", 8, []string{"aaaaa\n", "bbbbbb"}},
		// a short part rather than a word cut in two (it was "aaaa\nbbb", "bbb")
		{"line break too early", "aaaa\nbbbbbb", 8, []string{"aaaa\n", "bbbbbb"}},
		{"space too early", "ab cdefghij", 8, []string{"ab ", "cdefghij"}},
		{"after a paragraph", "1. Vraag\n  Ja: 60%\n\n2. Vraag\n  Nee: 40%", 30, []string{"1. Vraag\n  Ja: 60%\n\n", "2. Vraag\n  Nee: 40%"}},
		{"paragraph too early", "Ja\n\nNee, dat is het niet geworden", 30, []string{"Ja\n\nNee, dat is het niet ", "geworden"}},
		{"cut right before a line break", "abc defg\nhij", 8, []string{"abc defg", "\nhij"}},
		{"never a part of spaces only", "   bbbbbbbbb", 6, []string{"   bbb", "bbbbbb"}},
		{"hard cut without breaks", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"runes not bytes", "ééééé", 2, []string{"éé", "éé", "é"}},
		{"empty", "", 5, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Split(tc.text, tc.max); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if got, want := Clip("Helemaal mee eens", 8), "Helemaa…"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := Clip("Direct na het sluiten van de ronde ziet u de uitslag.", 38), "Direct na het sluiten van de ronde…"; got != want {
		t.Errorf("got %q, want %q (between words)", got, want)
	}
	if got, want := Clip("ziet u, de uitslag", 10), "ziet u…"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := Clip("Ja", 8), "Ja"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSplitByUTF16(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want []string
	}{
		// 😀 is two UTF-16 units: three of them fill 6, not 3
		{"emoji count two", "😀😀😀😀", 6, []string{"😀😀😀", "😀"}},
		{"never half an emoji", "a😀😀", 4, []string{"a😀", "😀"}},
		{"accent stays with its letter", "ee\u0308e", 2, []string{"e", "e\u0308", "e"}},
		{"joined emoji stay whole", "ab👩\u200d👧", 5, []string{"ab", "👩\u200d👧"}},
		{"skin tone stays", "ab👍🏽", 4, []string{"ab", "👍🏽"}},
		{"at a space", "één twee drie", 10, []string{"één twee ", "drie"}},
		{"line break before space", "aaaaaa\nb c", 9, []string{"aaaaaa\n", "b c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitBy(tc.text, tc.max, UTF16Len)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if strings.Join(got, "") != tc.text {
				t.Errorf("parts %q do not add up to %q", got, tc.text)
			}
			for _, p := range got {
				if n := UTF16Len(p); n > tc.max {
					t.Errorf("part %q has %d units, want at most %d", p, n, tc.max)
				}
			}
		})
	}
}

func TestLimitsClip(t *testing.T) {
	l := Limits{MaxText: 5, MaxCaption: 3, Unit: UTF16}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"text fits", l.ClipText("😀😀a"), "😀😀a"},
		{"text cut before an emoji", l.ClipText("😀😀😀"), "😀😀…"},
		{"caption", l.ClipCaption("ëëëë"), "ëë…"},
		{"caption of emoji", l.ClipCaption("😀😀"), "😀…"},
		{"no limit", Limits{}.ClipCaption("😀😀😀😀"), "😀😀😀😀"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
	if got, want := (Limits{}).Len("😀ë"), 2; got != want {
		t.Errorf("length without Len: got %d, want %d (characters)", got, want)
	}
	if got, want := UTF16Len("😀ë"), 3; got != want {
		t.Errorf("UTF16Len: got %d, want %d", got, want)
	}
}

// TestSplitResultsAtWords splits and clips a whole results message (the golden
// burgerpeiling message of package results) at many limits: every part fits, the
// parts add up to the message, and no part ends, nor a clipped text stops, inside
// a word. On Discord's 2000 characters the parts end after a paragraph: a
// question is never spread over two messages.
func TestSplitResultsAtWords(t *testing.T) {
	data, err := os.ReadFile("../results/testdata/personal-burgerpeiling-nieuwleusen.txt")
	if err != nil {
		t.Fatal(err)
	}
	msg := string(data)
	long := msg + "\n\n" + msg // past Telegram's 4096 too
	inWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	midWord := func(left, right string) bool {
		l, _ := utf8.DecodeLastRuneInString(left)
		r, _ := utf8.DecodeRuneInString(right)
		return inWord(l) && inWord(r)
	}
	tests := []struct {
		name      string
		text      string
		limits    Limits
		paragraph bool // every part but the last ends a paragraph
	}{
		{"discord", msg, Limits{MaxText: 2000}, true},
		{"telegram", long, Limits{MaxText: 4096, Unit: UTF16}, true},
		{"whatsapp caption", msg, Limits{MaxText: 1024}, true},
	}
	for _, n := range []int{60, 97, 150, 333, 500} {
		tests = append(tests, struct {
			name      string
			text      string
			limits    Limits
			paragraph bool
		}{"max " + strconv.Itoa(n), msg, Limits{MaxText: n, MaxCaption: n}, false})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := tt.limits.SplitText(tt.text)
			if len(parts) < 2 {
				t.Fatalf("got %d part, want the message (%d characters) split", len(parts), utf8.RuneCountInString(tt.text))
			}
			if strings.Join(parts, "") != tt.text {
				t.Errorf("got parts that do not add up to the message")
			}
			for i, p := range parts {
				if n := tt.limits.Len(p); n > tt.limits.MaxText {
					t.Errorf("part %d: got %d long, want at most %d", i, n, tt.limits.MaxText)
				}
				if strings.TrimSpace(p) == "" {
					t.Errorf("part %d: got only spaces, want text", i)
				}
				if i == len(parts)-1 {
					continue
				}
				if midWord(p, parts[i+1]) {
					t.Errorf("part %d: got a cut inside a word: …%q | %q…", i, p[max(0, len(p)-20):], parts[i+1][:min(20, len(parts[i+1]))])
				}
				if tt.paragraph && !strings.HasSuffix(p, "\n\n") {
					t.Errorf("part %d: got it ending %q, want the end of a paragraph", i, p[max(0, len(p)-30):])
				}
			}
			if tt.limits.MaxCaption == 0 {
				return
			}
			c := tt.limits.ClipCaption(tt.text)
			kept, cut := strings.CutSuffix(c, "…")
			if !cut || !strings.HasPrefix(tt.text, kept) || tt.limits.Len(c) > tt.limits.MaxCaption {
				t.Fatalf("clip: got %q, want a beginning of the message ending in …, at most %d long", c, tt.limits.MaxCaption)
			}
			if midWord(kept, tt.text[len(kept):]) {
				t.Errorf("clip: got %q, want it to stop between words", c[max(0, len(c)-30):])
			}
		})
	}
}
