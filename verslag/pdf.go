package verslag

import (
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// WritePDF writes the report as an A4 PDF: headings, paragraphs, lists and
// tables, with the page number and the title in the footer.
func (r *Report) WritePDF(w io.Writer) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(r.Title, true)
	pdf.SetAuthor("participatiebot", true)
	pdf.SetMargins(20, 18, 20)
	pdf.SetAutoPageBreak(true, 18)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: the core fonts' encoding
	text := func(s string) string { return tr(pdfSafe.Replace(s)) }
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 5, text(fmt.Sprintf("%s · pagina %d", r.Title, pdf.PageNo())), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	width, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	usable := width - left - right
	for _, b := range r.Blocks {
		switch b.Kind {
		case Heading:
			size := map[int]float64{1: 18, 2: 14, 3: 11.5}[b.Level]
			if b.Level == 2 {
				pdf.Ln(3)
			}
			_, y := pdf.GetXY()
			_, pageH := pdf.GetPageSize()
			if y > pageH-50 { // a heading does not stand alone at the foot of a page
				pdf.AddPage()
			}
			pdf.SetFont("Helvetica", "B", size)
			pdf.MultiCell(usable, size*0.5, text(b.Text), "", "L", false)
			pdf.Ln(1.5)
		case Paragraph:
			pdf.SetFont("Helvetica", "", 10)
			pdf.MultiCell(usable, 5, text(b.Text), "", "L", false)
			pdf.Ln(2)
		case List:
			pdf.SetFont("Helvetica", "", 10)
			for _, it := range b.Items {
				pdf.SetX(left)
				pdf.CellFormat(5, 5, text("•"), "", 0, "L", false, 0, "")
				pdf.MultiCell(usable-5, 5, text(it), "", "L", false)
			}
			pdf.Ln(2)
		case Table:
			pdfTable(pdf, b, usable, text)
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("verslag in PDF schrijven: %w", err)
	}
	return nil
}

// pdfSafe replaces what the core fonts' cp1252 lacks.
var pdfSafe = strings.NewReplacer("≥", ">=", "≤", "<=", "−", "-", "✔", "v", "✅", "", "🧭", "", "📋", "", "📣", "")

// pdfTable draws a table with wrapped cells, the header repeated on a new page.
func pdfTable(pdf *fpdf.Fpdf, b Block, usable float64, text func(string) string) {
	const lineH = 4.6
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(usable, 5, text(b.Caption), "", "L", false)
	widths := columnWidths(pdf, b, usable, text)
	row := func(cells []string, header bool) {
		style := ""
		if header {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 8.5)
		lines := 1
		for i, c := range cells {
			if n := len(pdf.SplitText(text(c), widths[i]-2)); n > lines {
				lines = n
			}
		}
		h := float64(lines)*lineH + 1.5
		_, y := pdf.GetXY()
		_, pageH := pdf.GetPageSize()
		if y+h > pageH-20 {
			pdf.AddPage()
			if !header {
				pdfHeader(pdf, b, widths, text, lineH)
				pdf.SetFont("Helvetica", style, 8.5)
			}
			_, y = pdf.GetXY()
		}
		left, _, _, _ := pdf.GetMargins()
		x := left
		for i, c := range cells {
			if header {
				pdf.SetFillColor(232, 238, 245)
				pdf.Rect(x, y, widths[i], h, "FD")
			} else {
				pdf.Rect(x, y, widths[i], h, "D")
			}
			pdf.SetXY(x+1, y+0.75)
			pdf.MultiCell(widths[i]-2, lineH, text(c), "", "L", false)
			x += widths[i]
		}
		pdf.SetXY(left, y+h)
	}
	row(b.Header, true)
	for _, r := range b.Rows {
		row(r, false)
	}
	pdf.Ln(3)
}

func pdfHeader(pdf *fpdf.Fpdf, b Block, widths []float64, text func(string) string, lineH float64) {
	pdf.SetFont("Helvetica", "B", 8.5)
	left, _, _, _ := pdf.GetMargins()
	_, y := pdf.GetXY()
	lines := 1
	for i, c := range b.Header {
		if n := len(pdf.SplitText(text(c), widths[i]-2)); n > lines {
			lines = n
		}
	}
	h := float64(lines)*lineH + 1.5
	x := left
	for i, c := range b.Header {
		pdf.SetFillColor(232, 238, 245)
		pdf.Rect(x, y, widths[i], h, "FD")
		pdf.SetXY(x+1, y+0.75)
		pdf.MultiCell(widths[i]-2, lineH, text(c), "", "L", false)
		x += widths[i]
	}
	pdf.SetXY(left, y+h)
}

// columnWidths shares the width out by the columns' longest text, each at least
// a sixth of its fair share and the longest words kept whole where they fit.
func columnWidths(pdf *fpdf.Fpdf, b Block, usable float64, text func(string) string) []float64 {
	pdf.SetFont("Helvetica", "", 8.5)
	n := len(b.Header)
	want := make([]float64, n)
	for i := range n {
		cells := []string{b.Header[i]}
		for _, r := range b.Rows {
			if i < len(r) {
				cells = append(cells, r[i])
			}
		}
		for _, c := range cells {
			want[i] = max(want[i], min(pdf.GetStringWidth(text(c))+3, usable))
		}
	}
	var total float64
	for _, w := range want {
		total += w
	}
	out := make([]float64, n)
	if total <= usable {
		extra := (usable - total) / float64(n)
		for i, w := range want {
			out[i] = w + extra
		}
		return out
	}
	// every column at least as wide as its longest word (a header is not broken
	// mid-word), the rest shared by how much more each wants
	least := make([]float64, n)
	var sum float64
	for i := range n {
		cells := []string{b.Header[i]}
		for _, r := range b.Rows {
			if i < len(r) {
				cells = append(cells, r[i])
			}
		}
		for j, c := range cells {
			style := ""
			if j == 0 {
				style = "B" // the header is bold
			}
			pdf.SetFont("Helvetica", style, 8.5)
			for _, word := range strings.Fields(c) {
				least[i] = max(least[i], min(pdf.GetStringWidth(text(word))+4, usable/float64(n)*1.5))
			}
		}
		sum += least[i]
	}
	if sum > usable { // words too long for the page: shrink all alike
		for i := range least {
			least[i] *= usable / sum
		}
		return least
	}
	var rest float64
	for i, w := range want {
		rest += max(w-least[i], 0)
	}
	for i, w := range want {
		out[i] = least[i]
		if rest > 0 {
			out[i] += (usable - sum) * max(w-least[i], 0) / rest
		}
	}
	return out
}
