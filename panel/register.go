package panel

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// Bounds of a register extract. A municipality of a million inhabitants stays well
// inside them; beyond them the file is almost certainly not what was meant.
const (
	// MaxRows is the largest number of residents (rows after the header) read.
	MaxRows = 2_000_000
	// MaxLineBytes is the longest line read, the line end excluded.
	MaxLineBytes = 1024
	// MaxAge is the highest age accepted.
	MaxAge = 120
	// maxRowErrors is how many row errors one call reports before it stops.
	maxRowErrors = 20
)

// maxRows is MaxRows, lowered by a test.
var maxRows = MaxRows

// columns are the only columns a register extract may have, in any order and case.
var columns = []string{"adres", "kern", "leeftijd"}

// Register is a read register extract: one resident per address.
type Register struct {
	// Residents are sorted by Address (then Kern), so that a draw does not depend on the order
	// of the rows in the file.
	Residents []Resident
	// SHA256 is the hex SHA-256 of the file's raw bytes, for the audit: with it
	// anyone can check that a repeated draw used the same extract.
	SHA256 string
	// Rows is the number of residents read (the header not counted).
	Rows int
}

// Resident is one row of the extract.
type Resident struct {
	// Address is the address as given, with runs of spaces made one. A newline (in a
	// quoted field) or ", " separates the lines of the address block on the letter.
	Address string
	// Kern is the village or town the address belongs to.
	Kern string
	// Age is the age in years, 0..MaxAge.
	Age int
}

// ReadRegister reads a register extract: a CSV in UTF-8 (a byte order mark is allowed)
// with a header line naming the columns adres, kern and leeftijd and nothing else.
// The separator is ";" or ",", whichever the header line uses. Errors are in Dutch
// and name the line ("regel 7: leeftijd "abc" is geen getal"), never an address; up
// to 20 row errors are reported together.
func ReadRegister(r io.Reader) (*Register, error) {
	reg, err := readRegister(r)
	if err != nil {
		return nil, fmt.Errorf("bevolkingsbestand: %w", err)
	}
	return reg, nil
}

func readRegister(r io.Reader) (*Register, error) {
	hash := sha256.New()
	lines := &lineLimiter{r: io.TeeReader(r, hash), line: 1}
	br := bufio.NewReaderSize(lines, 4096)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3) //nolint:errcheck // the three bytes were just peeked
	}
	sep, err := detectSeparator(br)
	if err != nil {
		return nil, lines.blame(err)
	}
	cr := csv.NewReader(br)
	cr.Comma = sep
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, lines.blame(csvError(err))
	}
	cols, err := headerColumns(header)
	if err != nil {
		return nil, err
	}
	cr.FieldsPerRecord = len(header)

	reg := &Register{}
	seen := map[string]int{} // folded address and kern → its line
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("regel %d: %s", line, fmt.Sprintf(format, args...)))
	}
	for len(errs) < maxRowErrors {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				fail(pe.StartLine, "%d velden, verwacht %d (%s)", len(rec), len(header), strings.Join(header, string(sep)))
				continue
			}
			errs = append(errs, lines.blame(csvError(err)))
			break
		}
		if reg.Rows == maxRows {
			return nil, fmt.Errorf("meer dan %s bewoners; zo groot is geen gemeente, controleer het bestand", dutch.Int(int64(maxRows)))
		}
		reg.Rows++
		line, _ := cr.FieldPos(0)
		res, ok := parseRow(rec, cols, line, fail)
		if !ok {
			continue
		}
		// the same street name may be in two kernen when the address names no place
		key := strings.ToLower(res.Address + "\x00" + res.Kern)
		if first, dup := seen[key]; dup {
			fail(line, "hetzelfde adres en dezelfde kern als regel %d (elk adres hoort één keer in het bestand)", first)
			continue
		}
		seen[key] = line
		reg.Residents = append(reg.Residents, res)
	}
	if len(errs) == maxRowErrors {
		errs = append(errs, fmt.Errorf("gestopt na %d fouten", maxRowErrors))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w", errors.Join(errs...))
	}
	if reg.Rows == 0 {
		return nil, errors.New("alleen een kopregel, geen bewoners")
	}
	if _, err := io.Copy(io.Discard, br); err != nil { // the hash covers every byte
		return nil, lines.blame(err)
	}
	reg.SHA256 = hex.EncodeToString(hash.Sum(nil))
	slices.SortFunc(reg.Residents, compareResidents)
	return reg, nil
}

// compareResidents orders residents by address, then kern: the order a draw samples
// from.
func compareResidents(a, b Resident) int {
	return cmp.Or(strings.Compare(a.Address, b.Address), strings.Compare(a.Kern, b.Kern))
}

// parseRow checks one record; cols maps adres, kern and leeftijd to their field.
func parseRow(rec []string, cols map[string]int, line int, fail func(int, string, ...any)) (Resident, bool) {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			fail(line, "geen geldige UTF-8 (sla het bestand op als UTF-8)")
			return Resident{}, false
		}
	}
	res := Resident{
		Address: collapseSpaces(rec[cols["adres"]]),
		Kern:    collapseSpaces(rec[cols["kern"]]),
	}
	ok := true
	if res.Address == "" {
		fail(line, "adres is leeg")
		ok = false
	}
	switch {
	case res.Kern == "":
		fail(line, "kern is leeg")
		ok = false
	case strings.Contains(res.Kern, keySep):
		fail(line, "kern %q bevat een %q, dat kan niet in een stratum", res.Kern, keySep)
		ok = false
	}
	raw := strings.TrimSpace(rec[cols["leeftijd"]])
	age, err := strconv.Atoi(raw)
	switch {
	case raw == "":
		fail(line, "leeftijd is leeg")
		ok = false
	case err != nil:
		fail(line, "leeftijd %q is geen getal", clip(raw, 20))
		ok = false
	case age < 0 || age > MaxAge:
		fail(line, "leeftijd %d ligt niet tussen 0 en %d", age, MaxAge)
		ok = false
	}
	res.Age = age
	return res, ok
}

// collapseSpaces trims s and makes every run of spaces and tabs one space, keeping
// newlines (they separate the lines of an address).
func collapseSpaces(s string) string {
	parts := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// detectSeparator reads the header line ahead and picks ";" or "," from it.
func detectSeparator(br *bufio.Reader) (rune, error) {
	head, err := br.Peek(MaxLineBytes + 2)
	if len(head) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return 0, errors.New("het bestand is leeg")
		}
		return 0, err
	}
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	semi, comma := bytes.Count(head, []byte(";")), bytes.Count(head, []byte(","))
	switch {
	case semi == 0 && comma == 0:
		return 0, fmt.Errorf("regel 1: geen scheidingsteken (; of ,) in de kopregel; verwacht de kolommen %s", dutch.And(columns))
	case semi >= comma:
		return ';', nil
	default:
		return ',', nil
	}
}

// headerColumns maps each required column to its field and refuses any other.
func headerColumns(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var extra []string
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case !slices.Contains(columns, name):
			extra = append(extra, strconv.Quote(clip(strings.TrimSpace(h), 40)))
		case hasKey(cols, name):
			return nil, fmt.Errorf("regel 1: kolom %q staat twee keer in de kopregel", name)
		default:
			cols[name] = i
		}
	}
	if len(extra) > 0 {
		return nil, fmt.Errorf("regel 1: %s %s %s niet in het bestand: lever alleen %s aan, meer is voor de loting niet nodig (privacy)",
			noun(len(extra), "kolom", "kolommen"), dutch.And(extra), noun(len(extra), "hoort", "horen"), dutch.And(columns))
	}
	var missing []string
	for _, c := range columns {
		if !hasKey(cols, c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("regel 1: de kopregel mist %s %s", noun(len(missing), "de kolom", "de kolommen"), dutch.And(missing))
	}
	return cols, nil
}

// noun is one when n is 1, else many.
func noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// clip shortens s to at most n runes for quoting in a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// csvError puts encoding/csv's errors in Dutch.
func csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		if errors.Is(err, io.EOF) {
			return errors.New("het bestand is leeg")
		}
		return fmt.Errorf("lezen: %w", err)
	}
	what := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		what = "een aanhalingsteken (\") zonder zijn sluitende partner"
	case errors.Is(pe.Err, csv.ErrBareQuote):
		what = "een aanhalingsteken (\") midden in een veld zonder aanhalingstekens"
	case errors.Is(pe.Err, csv.ErrFieldCount):
		what = "een ander aantal velden dan de kopregel"
	}
	return fmt.Errorf("regel %d: %s", pe.Line, what)
}

// errLineTooLong is returned by lineLimiter; blame turns it into a message with the line.
var errLineTooLong = errors.New("line too long")

// lineLimiter counts lines and fails on one longer than MaxLineBytes, so a file that
// is not a CSV (or has no line ends) is refused before it fills the memory.
type lineLimiter struct {
	r    io.Reader
	line int   // the line being read, from 1
	cur  int   // bytes of it so far
	err  error // errLineTooLong once seen, for every later Read
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			l.line++
			l.cur = 0
			continue
		}
		if l.cur++; l.cur > MaxLineBytes+1 { // +1 for the \r of a CRLF
			l.err = errLineTooLong
			return 0, l.err
		}
	}
	return n, err
}

// blame names the too-long line when that is what err is.
func (l *lineLimiter) blame(err error) error {
	if errors.Is(err, errLineTooLong) {
		return fmt.Errorf("regel %d is langer dan %d tekens: dit lijkt geen bevolkingsbestand", l.line, MaxLineBytes)
	}
	return err
}
