package panel

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// LetterSpec is what every letter of one loting says: the participatiekaart of the
// trajectory and the ways in. Texts are plain Dutch; the letter is set in a core PDF
// font, so they must keep to the Windows-1252 characters (ë, é, ï, €, “ ” and – are
// fine).
type LetterSpec struct {
	// Gemeente is the municipality's name, "Dalfsen"; the letterhead says
	// "Gemeente Dalfsen".
	Gemeente string
	// TrajectTitle names the trajectory: "de toekomst van het centrum van Dalfsen".
	// It follows "mee te denken over".
	TrajectTitle string
	// Doel says why the municipality asks, in a sentence or two.
	Doel string
	// WieBeslist is who decides: "de gemeenteraad", "het college", …
	WieBeslist string
	// Trede is the step on the participatieladder: one of Treden.
	Trede string
	// WatGebeurtErMee says what happens with the answers.
	WatGebeurtErMee string
	// Terugkoppeling is the date by which the residents hear what was done.
	Terugkoppeling time.Time
	// Verloopt is the last day the code can be used.
	Verloopt time.Time
	// Datum is the date on the letter; zero means today.
	Datum time.Time
	// TelegramBot is the bot's username (with or without "@"); the letter links
	// https://t.me/<bot>?start=<code without dashes>. Empty leaves Telegram out.
	TelegramBot string
	// WebChatURL is the web chat's address; the letter links <url>?code=<code>.
	// Empty leaves the web chat out.
	WebChatURL string
	// WhatsAppNumber is the WhatsApp number in international form ("+31 6 1234 5678");
	// the letter links https://wa.me/<digits>?text=<code>. Empty leaves WhatsApp out.
	WhatsAppNumber string
	// Contact says where to go with questions, after "Vragen over de loting?"; empty
	// means "Neem contact op met de gemeente <Gemeente>."
	Contact string
	// Afzender signs the letter; empty means "Gemeente <Gemeente>".
	Afzender string
}

// Treden are the steps of the participatieladder, lowest first.
var Treden = []string{"informeren", "raadplegen", "adviseren", "coproduceren", "meebeslissen"}

// maxText bounds the free texts so that the letter stays on one page (WriteLetters
// checks that too, and says which text to shorten).
const maxText = 420

var telegramUser = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{4,31}$`)

// Validate checks the spec; WriteLetters calls it.
func (s LetterSpec) Validate() error {
	var errs []error
	for _, f := range []struct{ name, v string }{
		{"Gemeente", s.Gemeente}, {"TrajectTitle", s.TrajectTitle}, {"Doel", s.Doel},
		{"WieBeslist", s.WieBeslist}, {"WatGebeurtErMee", s.WatGebeurtErMee},
	} {
		switch n := utf8.RuneCountInString(f.v); {
		case strings.TrimSpace(f.v) == "":
			errs = append(errs, fmt.Errorf("%s is leeg", f.name))
		case n > maxText:
			errs = append(errs, fmt.Errorf("%s is %d tekens, houd het onder %d (de brief is één pagina)", f.name, n, maxText))
		}
	}
	for _, f := range []struct{ name, v string }{
		{"Gemeente", s.Gemeente}, {"TrajectTitle", s.TrajectTitle}, {"Doel", s.Doel}, {"WieBeslist", s.WieBeslist},
		{"WatGebeurtErMee", s.WatGebeurtErMee}, {"Contact", s.Contact}, {"Afzender", s.Afzender},
	} {
		if r, ok := unprintable(f.v); !ok {
			errs = append(errs, fmt.Errorf("%s: het teken %q kan niet in de brief (alleen Windows-1252)", f.name, r))
		}
	}
	if len(s.Contact) > maxText || len(s.Afzender) > 100 {
		errs = append(errs, errors.New("Contact of Afzender is te lang voor één pagina"))
	}
	if !slices.Contains(Treden, s.Trede) {
		errs = append(errs, fmt.Errorf("trede %q staat niet op de participatieladder: kies %s", s.Trede, strings.Join(Treden, ", ")))
	}
	if s.Terugkoppeling.IsZero() {
		errs = append(errs, errors.New("Terugkoppeling (de datum) ontbreekt"))
	}
	if s.Verloopt.IsZero() {
		errs = append(errs, errors.New("Verloopt (de datum) ontbreekt"))
	}
	if s.TelegramBot == "" && s.WebChatURL == "" && s.WhatsAppNumber == "" {
		errs = append(errs, errors.New("geen manier om mee te doen: geef TelegramBot, WebChatURL en/of WhatsAppNumber"))
	}
	if s.TelegramBot != "" && !telegramUser.MatchString(strings.TrimPrefix(s.TelegramBot, "@")) {
		errs = append(errs, fmt.Errorf("TelegramBot %q is geen Telegram-gebruikersnaam (5-32 letters, cijfers of _)", s.TelegramBot))
	}
	if s.WebChatURL != "" {
		if u, err := url.Parse(s.WebChatURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("WebChatURL %q is geen http(s)-adres", s.WebChatURL))
		}
	}
	if s.WhatsAppNumber != "" {
		if d := whatsAppDigits(s.WhatsAppNumber); len(d) < 8 || len(d) > 15 {
			errs = append(errs, fmt.Errorf("WhatsAppNumber %q is geen internationaal nummer (+31 6 …)", s.WhatsAppNumber))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("brief: %w", errors.Join(errs...))
	}
	return nil
}

// whatsAppDigits is the number as WhatsApp's click-to-chat links (wa.me) want it:
// digits only, in international form without "+" or a leading 00; "" when something
// other than digits, spaces, dashes and brackets is in it.
func whatsAppDigits(n string) string {
	var b strings.Builder
	for _, r := range strings.TrimPrefix(strings.TrimSpace(n), "+") {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return ""
		}
	}
	return strings.TrimPrefix(b.String(), "00")
}

// Link is one way in for one code.
type Link struct {
	// Channel is "Telegram", "webchat" or "WhatsApp".
	Channel string
	URL     string
}

// Links are the ways in for code, in the order the letter lists them: Telegram, the web
// chat, WhatsApp, each only when set. The first is the one in the QR code.
func (s LetterSpec) Links(code string) []Link {
	var out []Link
	if s.TelegramBot != "" {
		out = append(out, Link{"Telegram", "https://t.me/" + strings.TrimPrefix(s.TelegramBot, "@") + "?start=" + Compact(code)})
	}
	if s.WebChatURL != "" {
		sep := "?"
		if strings.Contains(s.WebChatURL, "?") {
			sep = "&"
		}
		out = append(out, Link{"webchat", s.WebChatURL + sep + "code=" + url.QueryEscape(code)})
	}
	if s.WhatsAppNumber != "" {
		out = append(out, Link{"WhatsApp", "https://wa.me/" + whatsAppDigits(s.WhatsAppNumber) + "?text=" + url.QueryEscape(code)})
	}
	return out
}

// cp1252 are the characters above ASCII that Windows-1252, the encoding of the PDF
// core fonts, has.
var cp1252 = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ" {
		m[r] = true
	}
	for r := rune(0xa0); r <= 0xff; r++ {
		m[r] = true
	}
	return m
}()

// unprintable is the first character of s that the letter cannot show.
func unprintable(s string) (rune, bool) {
	for _, r := range norm.NFC.String(s) {
		if r >= 0x80 && !cp1252[r] || r < 0x20 && r != '\n' {
			return r, false
		}
	}
	return 0, true
}

// printable makes an address printable: NFC, and a character outside Windows-1252
// replaced by its base letter ("ő" → "o") or "?", so one unusual address does not stop
// a batch of letters.
func printable(s string) string {
	s = norm.NFC.String(s)
	if _, ok := unprintable(s); ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80 && r >= 0x20 || r == '\n' || cp1252[r]:
			b.WriteRune(r)
		default:
			base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
			if base < 0x80 && base >= 0x20 || cp1252[base] {
				b.WriteRune(base)
			} else {
				b.WriteRune('?')
			}
		}
	}
	return b.String()
}
