package verslag

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// WriteMarkdown writes the report as Markdown.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for i, b := range r.Blocks {
		if i > 0 {
			bw.WriteString("\n")
		}
		switch b.Kind {
		case Heading:
			fmt.Fprintf(bw, "%s %s\n", strings.Repeat("#", b.Level), mdText(b.Text))
		case Paragraph:
			fmt.Fprintf(bw, "%s\n", mdText(b.Text))
		case List:
			for _, it := range b.Items {
				fmt.Fprintf(bw, "- %s\n", mdText(strings.TrimPrefix(it, "• ")))
			}
		case Table:
			fmt.Fprintf(bw, "*%s*\n\n", mdText(b.Caption))
			fmt.Fprintf(bw, "| %s |\n|%s\n", strings.Join(mdCells(b.Header), " | "), strings.Repeat("---|", len(b.Header)))
			for _, row := range b.Rows {
				fmt.Fprintf(bw, "| %s |\n", strings.Join(mdCells(row), " | "))
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("verslag in Markdown schrijven: %w", err)
	}
	return nil
}

// mdText escapes what Markdown would read as markup in a resident's or an
// organiser's text.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)

func mdText(s string) string { return mdEscaper.Replace(strings.ReplaceAll(s, "\n", " ")) }

func mdCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.ReplaceAll(mdText(c), "|", `\|`)
	}
	return out
}

//go:embed verslag.html
var templates embed.FS

var page = template.Must(template.New("verslag.html").ParseFS(templates, "verslag.html"))

// WriteHTML writes the report as one accessible HTML page (lang="nl", headings in
// order, tables with captions and header cells), without scripts.
func (r *Report) WriteHTML(w io.Writer) error {
	if err := page.Execute(w, r); err != nil {
		return fmt.Errorf("verslag in HTML schrijven: %w", err)
	}
	return nil
}
