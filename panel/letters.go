package panel

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// Page geometry in millimetres (A4). The address block sits where a window envelope
// (C5/6 or DL, window on the left) shows it.
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 22.0
	marginR      = 20.0
	textW        = pageW - marginL - marginR
	bottomLimit  = pageH - 14 // below this the footer starts; the text must end above it
	// QRSize is the printed width of the QR code with its quiet zone, in millimetres:
	// comfortably above the 30 mm a phone camera needs at arm's length.
	QRSize = 36.0
)

// MaxLetters bounds one PDF. fpdf holds the whole document in memory, about 16 kB a
// letter before compression, and 30,000 letters in one PDF took 2 GB of heap; in
// parts of at most 10,000 (per kern, or in numbered parts) it stays under 1 GB, at
// about 7 s a part.
const MaxLetters = 10_000

// WriteLetters writes a PDF with one A4 letter per invite, in the order given: the
// municipality as letterhead, the address block, the date, the invitation in plain
// Dutch (B1) with the participatiekaart of l, the ways in with their links, a QR code
// of the first link and the code in large type. The addresses appear nowhere else.
func WriteLetters(w io.Writer, l LetterSpec, invites []Invite) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if len(invites) == 0 {
		return errors.New("brieven: geen uitnodigingen")
	}
	if len(invites) > MaxLetters {
		return fmt.Errorf("brieven: %s uitnodigingen in één PDF, splits ze in delen van hoogstens %s",
			dutch.Int(int64(len(invites))), dutch.Int(MaxLetters))
	}
	if l.Datum.IsZero() {
		l.Datum = time.Now()
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(marginL, 15, marginR)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCreationDate(l.Datum)
	pdf.SetModificationDate(l.Datum)
	pdf.SetTitle("Uitnodiging gemeente "+l.Gemeente, true)
	pdf.SetAuthor("Gemeente "+l.Gemeente, true)
	lw := &letterWriter{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), spec: l}
	for i, inv := range invites {
		code, ok := NormaliseCode(inv.Code)
		if !ok {
			return fmt.Errorf("brieven: uitnodiging %d heeft geen geldige code", i+1)
		}
		if strings.TrimSpace(inv.Address) == "" {
			return fmt.Errorf("brieven: uitnodiging %d heeft geen adres", i+1)
		}
		if err := lw.page(inv, code); err != nil {
			return fmt.Errorf("brieven: brief %d: %w", i+1, err)
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("brieven: PDF schrijven: %w", err)
	}
	return nil
}

// letterWriter writes the pages of one PDF.
type letterWriter struct {
	pdf  *fpdf.Fpdf
	tr   func(string) string // UTF-8 to Windows-1252, the core fonts' encoding
	spec LetterSpec
}

func (lw *letterWriter) font(style string, size float64) { lw.pdf.SetFont("Helvetica", style, size) }

// para writes a paragraph over the full text width, with an optional bold heading
// on its own line.
func (lw *letterWriter) para(heading, text string) {
	if heading != "" {
		lw.font("B", 10.5)
		lw.pdf.MultiCell(textW, 5, lw.tr(heading), "", "L", false)
	}
	lw.font("", 10)
	lw.pdf.MultiCell(textW, 4.6, lw.tr(text), "", "L", false)
	lw.pdf.Ln(2.2)
}

func (lw *letterWriter) page(inv Invite, code string) error {
	pdf, s := lw.pdf, lw.spec
	pdf.AddPage()

	// letterhead
	pdf.SetTextColor(0, 70, 127)
	lw.font("B", 20)
	pdf.SetXY(marginL, 14)
	pdf.CellFormat(textW, 9, lw.tr("Gemeente "+s.Gemeente), "", 1, "L", false, 0, "")
	pdf.SetDrawColor(0, 70, 127)
	pdf.SetLineWidth(0.6)
	pdf.Line(marginL, 25, pageW-marginR, 25)
	pdf.SetTextColor(0, 0, 0)

	// address block and date
	lw.font("", 10.5)
	pdf.SetXY(marginL, 45)
	pdf.MultiCell(95, 5, lw.tr(strings.Join(addressLines(inv), "\n")), "", "L", false)
	pdf.SetXY(130, 45)
	pdf.MultiCell(pageW-marginR-130, 5, lw.tr("Datum: "+dutch.Date(s.Datum)+"\nOnderwerp: uitnodiging"), "", "L", false)

	// the letter
	pdf.SetXY(marginL, 78)
	lw.font("B", 15)
	pdf.MultiCell(textW, 7, lw.tr("U bent door loting gekozen"), "", "L", false)
	pdf.Ln(2)
	lw.para("", "Beste bewoner,\n\nDe gemeente "+s.Gemeente+" vraagt inwoners mee te denken over "+
		strings.TrimSuffix(s.TrajectTitle, ".")+". Daarom hebben we door loting adressen gekozen uit "+
		"het bevolkingsregister. Uw adres is gekozen. Iedereen had evenveel kans. Zo horen we niet alleen de "+
		"mensen die altijd al meepraten, maar inwoners van alle leeftijden en uit alle kernen. Uw mening telt!")
	lw.para("Waarom vragen we dit?", s.Doel)
	lw.para("Wie beslist?", upperFirst(s.WieBeslist)+" neemt het besluit. "+tredeText(s.Trede, s.WieBeslist))
	lw.para("Wat gebeurt er met uw antwoorden?", s.WatGebeurtErMee)
	lw.para("Wanneer hoort u meer?", "Uiterlijk "+dutch.Date(s.Terugkoppeling)+
		" laten we u weten wat er met de antwoorden is gedaan. Dat hoort u via de weg waarlangs u meedoet.")
	if err := lw.waysIn(code); err != nil {
		return err
	}
	lw.para("Vragen over de loting?", contactText(s))
	lw.font("", 10)
	afzender := s.Afzender
	if afzender == "" {
		afzender = "Gemeente " + s.Gemeente
	}
	pdf.MultiCell(textW, 4.6, lw.tr("Met vriendelijke groet,\n\n"+afzender), "", "L", false)
	if pdf.GetY() > bottomLimit {
		return errors.New("de brief past niet op één pagina: maak Doel, WatGebeurtErMee of Contact korter")
	}

	// footer
	lw.font("", 7.5)
	pdf.SetTextColor(90, 90, 90)
	pdf.SetXY(marginL, pageH-12)
	pdf.MultiCell(textW, 3.4, lw.tr("Privacy: de gemeente gebruikt uw adres alleen voor deze brief en bewaart het daarna niet. "+
		"Bij uw antwoorden weet de gemeente alleen uit welke groep u geloot bent (zoals uw kern), niet wie u bent."), "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	return pdf.Error()
}

// waysIn writes the ways to take part, the QR code beside them and the code.
func (lw *letterWriter) waysIn(code string) error {
	pdf, s := lw.pdf, lw.spec
	links := s.Links(code)
	top := pdf.GetY()
	colW := textW - QRSize - 6
	lw.font("B", 10.5)
	pdf.MultiCell(colW, 5, lw.tr("Zo doet u mee"), "", "L", false)
	for _, ln := range links {
		var text string
		switch ln.Channel {
		case "Telegram":
			text = "Met Telegram: scan de QR-code met de camera van uw telefoon, of ga naar"
		case "webchat":
			text = "Op de website, zonder app: ga naar"
			if s.TelegramBot == "" {
				text = "Op de website, zonder app: scan de QR-code, of ga naar"
			}
		case "WhatsApp":
			text = "Met WhatsApp: stuur uw code naar " + s.WhatsAppNumber + ", of ga naar"
			if s.TelegramBot == "" && s.WebChatURL == "" {
				text = "Met WhatsApp: scan de QR-code, of stuur uw code naar " + s.WhatsAppNumber + ", of ga naar"
			}
		}
		lw.font("", 10)
		pdf.MultiCell(colW, 4.6, lw.tr("• "+text), "", "L", false)
		lw.font("", 9)
		pdf.SetTextColor(0, 70, 127)
		pdf.SetX(marginL + 3)
		y := pdf.GetY()
		pdf.MultiCell(colW-3, 4.4, ln.URL, "", "L", false)
		pdf.LinkString(marginL+3, y, colW-3, pdf.GetY()-y, ln.URL)
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(1)
	}
	pdf.Ln(1.5)
	lw.font("", 10)
	pdf.MultiCell(colW, 4.6, lw.tr("Uw persoonlijke code:"), "", "L", false)
	pdf.SetFont("Courier", "B", 22)
	pdf.SetFillColor(232, 240, 248)
	pdf.SetX(marginL + 1) // line the box up with the text, which sits a cell margin in
	pdf.CellFormat(pdf.GetStringWidth(code)+8, 12, code, "", 1, "C", true, 0, "")
	pdf.Ln(1)
	lw.font("", 9)
	pdf.MultiCell(colW, 4.4, lw.tr("Geldig tot en met "+dutch.Date(s.Verloopt)+". De code is alleen voor u: "+
		"geef hem niet aan anderen. Hij zegt niets over uw naam of adres."), "", "L", false)
	textEnd := pdf.GetY()

	qr, err := qrcode.New(links[0].URL, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("QR-code maken: %w", err)
	}
	qrX := pageW - marginR - QRSize
	drawQR(pdf, qr.Bitmap(), qrX, top+1, QRSize)
	lw.font("", 8)
	pdf.SetXY(qrX, top+1+QRSize)
	pdf.CellFormat(QRSize, 3.5, lw.tr(qrCaption[links[0].Channel]), "", 0, "C", false, 0, "")
	pdf.SetXY(marginL, max(textEnd, top+1+QRSize+3.5)+3)
	return nil
}

// qrCaption goes under the QR code, by the channel of its link.
var qrCaption = map[string]string{
	"Telegram": "Scan voor Telegram", "webchat": "Scan voor de webchat", "WhatsApp": "Scan voor WhatsApp",
}

// drawQR draws the QR bitmap (quiet zone included) as filled rectangles, one per run of
// dark modules in a row: sharp at any print resolution, and small.
func drawQR(pdf *fpdf.Fpdf, bits [][]bool, x, y, size float64) {
	m := size / float64(len(bits))
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// a hair of overlap so no renderer shows seams between rows
			pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m+0.01, m+0.01, "F")
		}
	}
}

// addressLines are the lines of the address block: "Aan de bewoner(s) van", then the
// address split at newlines (or else at ", "), then the kern when the address is one
// line that does not name it.
func addressLines(inv Invite) []string {
	addr := printable(inv.Address)
	var lines []string
	if strings.Contains(addr, "\n") {
		lines = strings.Split(addr, "\n")
	} else {
		lines = strings.Split(addr, ", ")
	}
	if len(lines) == 1 && inv.Kern != "" && !strings.Contains(strings.ToLower(addr), strings.ToLower(inv.Kern)) {
		lines = append(lines, printable(inv.Kern))
	}
	return append([]string{"Aan de bewoner(s) van"}, lines...)
}

// tredeText says in B1 what the step on the participatieladder means for the answers.
func tredeText(trede, wie string) string {
	switch trede {
	case "informeren":
		return "Wij informeren u over de plannen en beantwoorden uw vragen (trede op de participatieladder: informeren)."
	case "raadplegen":
		return "Wij vragen uw mening. " + upperFirst(wie) + " gebruikt die bij het besluit, maar is er niet aan gebonden " +
			"(trede op de participatieladder: raadplegen)."
	case "adviseren":
		return "Uw antwoorden zijn een advies. " + upperFirst(wie) + " neemt dat serieus en legt uit waarom, als het advies " +
			"niet wordt gevolgd (trede op de participatieladder: adviseren)."
	case "coproduceren":
		return "Inwoners en gemeente werken samen een plan uit. Dat plan is het uitgangspunt voor het besluit " +
			"(trede op de participatieladder: coproduceren)."
	default: // meebeslissen
		return "Inwoners beslissen mee: " + wie + " neemt de uitkomst over, binnen de afspraken die vooraf zijn gemaakt " +
			"(trede op de participatieladder: meebeslissen)."
	}
}

func contactText(s LetterSpec) string {
	if s.Contact != "" {
		return s.Contact
	}
	return "Neem contact op met de gemeente " + s.Gemeente + "."
}

// upperFirst capitalises the first letter: "de gemeenteraad" → "De gemeenteraad".
func upperFirst(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
