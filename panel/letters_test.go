package panel

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// needTool fails when a poppler-utils program is missing (test.sh installs them),
// as a missing redis-server does: the letters would go untested. In short mode
// it skips.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if testing.Short() {
			t.Skipf("%s not installed; skipped in short mode", name)
		}
		t.Fatalf("%s not found on PATH: install poppler-utils (Debian: apt-get install poppler-utils) or run ./test.sh", name)
	}
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return out
}

// drawnLetters draws n of a synthetic register and writes their letters to a file.
func drawnLetters(t *testing.T, spec LetterSpec, n int) (string, []Invite) {
	t.Helper()
	reg := synthRegister(t, 3000, 1)
	l, err := Draw(reg, DrawOptions{Size: n, Strata: []string{DimKern, DimLeeftijd}, Seed: 2025, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := NewInvites(l)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteLetters(&buf, spec, inv); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "brieven.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, inv
}

// decodeQR renders one page at 150 dpi and reads the QR code on it. With shot set
// it keeps the PNG there.
func decodeQR(t *testing.T, pdf string, page int, shot string) string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	p := strconv.Itoa(page)
	run(t, "pdftoppm", "-r", "150", "-png", "-singlefile", "-f", p, "-l", p, pdf, prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if shot != "" {
		raw, _ := os.ReadFile(prefix + ".png")
		if err := os.WriteFile(shot, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("page %d: no QR code read: %v", page, err)
	}
	return res.GetText()
}

func TestWriteLetters(t *testing.T) {
	needTool(t, "pdfinfo")
	needTool(t, "pdftotext")
	needTool(t, "pdftoppm")
	spec := exampleSpec()
	const n = 60
	pdf, inv := drawnLetters(t, spec, n)

	t.Run("one page per address", func(t *testing.T) {
		info := string(run(t, "pdfinfo", pdf))
		if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(info); m == nil || m[1] != strconv.Itoa(n) {
			t.Errorf("got pdfinfo %q, want Pages: %d", info, n)
		}
		if size := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)`).FindString(info); size == "" {
			t.Errorf("got pdfinfo %q, want A4 pages", info)
		}
	})

	pages := strings.Split(string(run(t, "pdftotext", pdf, "-")), "\f")
	t.Run("every page has its own code and address, and the texts come out right", func(t *testing.T) {
		if len(pages) < n {
			t.Fatalf("got %d pages of text, want %d", len(pages), n)
		}
		oudleusen, diacritics := 0, 0
		for i, v := range inv {
			text := pages[i]
			want := []string{v.Code, v.Kern, "Aan de bewoner(s) van", "U bent door loting gekozen",
				"Vragen over de loting?", "ideeën", "wat ú belangrijk vindt", "Gemeente Dalfsen", "Datum: 1 april 2025",
				"Uiterlijk 30 september 2025", "Geldig tot en met 31 mei 2025",
				"https://t.me/DalfsenPraatMeeBot?start=" + Compact(v.Code),
				"https://praatmee.dalfsen.nl/chat?code=" + v.Code,
				"https://wa.me/31612345678?text=" + v.Code,
				"trede op de participatieladder: adviseren"}
			want = append(want, strings.Split(v.Address, "\n")...)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("page %d: %q is missing", i+1, w)
				}
			}
			if i > 0 && strings.Contains(pages[i-1], v.Code) {
				t.Errorf("page %d shows the code of page %d", i, i+1)
			}
			if strings.ContainsAny(v.Address, "ëï") {
				diacritics++
			}
			if v.Kern == "Oudleusen" {
				oudleusen++
			}
		}
		if oudleusen == 0 {
			t.Error("no letter to Oudleusen in the sample; pick another seed")
		}
		if diacritics == 0 {
			t.Error("no address with ë or ï in the sample; pick another seed")
		}
	})

	t.Run("the QR code holds that page's Telegram link", func(t *testing.T) {
		for _, page := range []int{1, n / 2} {
			shot := ""
			if page == 1 {
				// PANEL_SCREENSHOT=$PWD/docs/screenshots/loting-brief.png renews the screenshot
				shot = os.Getenv("PANEL_SCREENSHOT")
			}
			got := decodeQR(t, pdf, page, shot)
			if want := "https://t.me/DalfsenPraatMeeBot?start=" + Compact(inv[page-1].Code); got != want {
				t.Errorf("page %d: got %q, want %q", page, got, want)
			}
		}
	})
}

// TestLetterWaysIn leaves ways out: the letter names only those that are set, and the
// QR code holds the first.
func TestLetterWaysIn(t *testing.T) {
	needTool(t, "pdftotext")
	needTool(t, "pdftoppm")
	cases := []struct {
		name          string
		edit          func(*LetterSpec)
		qr            string // prefix of the QR content
		absent, shown []string
	}{
		{"web chat only", func(s *LetterSpec) { s.TelegramBot, s.WhatsAppNumber = "", "" },
			"https://praatmee.dalfsen.nl/chat?code=", []string{"t.me", "wa.me", "Telegram", "WhatsApp"}, []string{"scan de QR-code"}},
		{"WhatsApp only", func(s *LetterSpec) { s.TelegramBot, s.WebChatURL = "", "" },
			"https://wa.me/31612345678?text=", []string{"t.me", "praatmee"}, []string{"Met WhatsApp: scan de QR-code"}},
		{"Telegram only, with @", func(s *LetterSpec) { s.WebChatURL, s.WhatsAppNumber, s.TelegramBot = "", "", "@DalfsenPraatMeeBot" },
			"https://t.me/DalfsenPraatMeeBot?start=", []string{"wa.me", "praatmee", "t.me/@"}, []string{"Met Telegram"}},
		{"web chat with a query, default contact and signature", func(s *LetterSpec) {
			s.TelegramBot, s.WebChatURL, s.Contact, s.Afzender = "", "https://dalfsen.nl/praat?lang=nl", "", ""
		}, "https://dalfsen.nl/praat?lang=nl&code=", nil, []string{"Neem contact op met de gemeente Dalfsen.", "Met vriendelijke groet,"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := exampleSpec()
			c.edit(&spec)
			pdf, inv := drawnLetters(t, spec, 1)
			text := string(run(t, "pdftotext", pdf, "-"))
			for _, a := range c.absent {
				if strings.Contains(text, a) {
					t.Errorf("got %q on the letter, want it left out", a)
				}
			}
			for _, s := range c.shown {
				if !strings.Contains(text, s) {
					t.Errorf("%q is missing", s)
				}
			}
			if got := decodeQR(t, pdf, 1, ""); !strings.HasPrefix(got, c.qr) || !strings.Contains(got, Compact(inv[0].Code)) && !strings.Contains(got, inv[0].Code) {
				t.Errorf("got QR %q, want %s with the code", got, c.qr)
			}
		})
	}
}

func TestLetterSpecValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*LetterSpec)
		want string
	}{
		{"empty Doel", func(s *LetterSpec) { s.Doel = " " }, "Doel is leeg"},
		{"long Doel", func(s *LetterSpec) { s.Doel = strings.Repeat("a", 500) }, "Doel is 500 tekens"},
		{"unknown trede", func(s *LetterSpec) { s.Trede = "meepraten" }, `trede "meepraten" staat niet op de participatieladder`},
		{"no way in", func(s *LetterSpec) { s.TelegramBot, s.WebChatURL, s.WhatsAppNumber = "", "", "" }, "geen manier om mee te doen"},
		{"bad bot name", func(s *LetterSpec) { s.TelegramBot = "a b" }, "geen Telegram-gebruikersnaam"},
		{"bad web chat URL", func(s *LetterSpec) { s.WebChatURL = "praatmee.nl" }, "geen http(s)-adres"},
		{"bad WhatsApp number", func(s *LetterSpec) { s.WhatsAppNumber = "bel ons" }, "geen internationaal nummer"},
		{"no dates", func(s *LetterSpec) { s.Terugkoppeling, s.Verloopt = zeroTime, zeroTime }, "Terugkoppeling (de datum) ontbreekt"},
		{"a character the core fonts lack", func(s *LetterSpec) { s.Doel = "Łódź" }, `het teken 'Ł' kan niet in de brief`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := exampleSpec()
			c.edit(&s)
			err := WriteLetters(&bytes.Buffer{}, s, []Invite{{Address: "A 1", Kern: "Ankum", Code: NewCode()}})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	if err := exampleSpec().Validate(); err != nil {
		t.Errorf("the example spec: got %v", err)
	}
}

func TestWriteLettersRefuses(t *testing.T) {
	spec := exampleSpec()
	cases := []struct {
		name    string
		invites []Invite
		want    string
	}{
		{"none", nil, "geen uitnodigingen"},
		{"a bad code", []Invite{{Address: "A 1", Code: "ABCD-EFGH-JKMN"}}, "uitnodiging 1 heeft geen geldige code"},
		{"no address", []Invite{{Address: " ", Code: NewCode()}}, "uitnodiging 1 heeft geen adres"},
		{"too many for one PDF", make([]Invite, MaxLetters+1), "splits ze in delen van hoogstens 10.000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := WriteLetters(&bytes.Buffer{}, spec, c.invites)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	// every text at its longest must still fit one page, or be refused
	long := spec
	long.Doel = strings.Repeat("Een heel lange uitleg. ", 18)
	long.WatGebeurtErMee = long.Doel
	long.Contact = long.Doel
	err := WriteLetters(&bytes.Buffer{}, long, []Invite{{Address: "A 1", Code: NewCode()}})
	if err == nil || !strings.Contains(err.Error(), "past niet op één pagina") {
		t.Errorf("got %v, want the one-page check", err)
	}
}

func TestAddressLines(t *testing.T) {
	cases := []struct {
		inv  Invite
		want []string
	}{
		{Invite{Address: "Kerkstraat 1", Kern: "Oudleusen"}, []string{"Kerkstraat 1", "Oudleusen"}},
		{Invite{Address: "Kerkstraat 1, 7721 AB Dalfsen", Kern: "Dalfsen"}, []string{"Kerkstraat 1", "7721 AB Dalfsen"}},
		{Invite{Address: "Hoofdweg 3\n7722 AA Dalfsen", Kern: "Welsum"}, []string{"Hoofdweg 3", "7722 AA Dalfsen"}},
		{Invite{Address: "Kerkstraat 1 Dalfsen", Kern: "Dalfsen"}, []string{"Kerkstraat 1 Dalfsen"}},
		{Invite{Address: "Świętego Łukasza 2", Kern: "Ankum"}, []string{"Swietego ?ukasza 2", "Ankum"}},
	}
	for _, c := range cases {
		t.Run(c.inv.Address, func(t *testing.T) {
			got := addressLines(c.inv)[1:]
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
