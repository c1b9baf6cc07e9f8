package surveys

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/lang"
	"gopkg.in/yaml.v3"
)

// ProcesevaluatieID is the id of the standard closing question on satisfaction with
// the process ("de ondergrens is tevredenheid over het doorlopen proces"). Every
// survey gets it (see Procesevaluatie) unless the file says procesevaluatie: false,
// so that reports can find it in every round.
const ProcesevaluatieID = "procesevaluatie"

// Problem is one thing wrong in a survey file, with the position it was found at.
// Msg says what is wrong and Hint how to fix it, both in Dutch for the organiser who
// wrote the file.
type Problem struct {
	File      string
	Line, Col int
	Msg       string
	// Hint is the tip: what to write instead, often with a line of YAML. Empty on
	// the "… en nog N problemen" line.
	Hint string
	// More is set on the last problem of a file whose list was cut: it says how
	// many problems were left out, and Msg ("… en nog N problemen") says so too.
	More int
	// Warning marks a warning (Survey.Warnings): the file loads, but something in
	// it will likely go wrong for residents. Error puts "waarschuwing: " before Msg.
	Warning bool
}

// Error formats the problem as "file:line:col: message", the form editors jump to,
// and a warning as "file:line:col: waarschuwing: message".
func (p Problem) Error() string {
	if p.Warning {
		return fmt.Sprintf("%s:%d:%d: waarschuwing: %s", p.File, p.Line, p.Col, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// TipPrefix starts the line under a problem that holds its hint.
const TipPrefix = "  tip: "

// Text is the problem as the organiser reads it: "file:line:col: message" and, on
// the next line, "  tip: hint" (editors take the first line, and skip the indented
// second as Go's compiler messages have it).
func (p Problem) Text() string {
	if p.Hint == "" {
		return p.Error()
	}
	return p.Error() + "\n" + TipPrefix + p.Hint
}

// Problems is the problems found in one or more survey files, in file and position
// order. Each file lists at most 100; a longer list ends with "… en nog N problemen"
// (see Problem.More and Count).
type Problems []Problem

// Error lists the problems, each with its tip (Problem.Text).
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Text()
	}
	return strings.Join(lines, "\n")
}

// Count is the number of problems found, including those left out of the list.
func (ps Problems) Count() int {
	n := 0
	for _, p := range ps {
		if p.More > 0 {
			n += p.More
		} else {
			n++
		}
	}
	return n
}

func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Parse reads one survey file. file is only used in messages. On failure the error is
// Problems, listing the problems of the file (at most 100, then a count of the rest).
func Parse(file string, data []byte) (*Survey, error) {
	s, _, probs := parseSurvey(file, data)
	if len(probs) > 0 {
		return nil, probs
	}
	return s, nil
}

// LoadFile reads and parses the survey file at path.
func LoadFile(path string) (*Survey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load survey: %w", err)
	}
	return Parse(path, data)
}

// LoadDir loads every *.yaml and *.yml file in dir but the trajectory files
// (IsTrajectoryFile, for LoadTrajectories), sorted by survey id. Survey ids must
// be unique across the files. On failure the error is Problems with the problems of
// all files together.
func LoadDir(dir string) ([]*Survey, error) { return LoadDirs(dir) }

// LoadDirs loads the survey files of several directories as LoadDir does, sorted by
// survey id. Within one directory ids must be unique; a survey of a later directory
// replaces the one of its id from an earlier one, as the dashboard's uploads (in
// DATA_DIR) replace the survey they were uploaded over (from SURVEYS_DIR). On failure
// the error is Problems with the problems of all files together.
func LoadDirs(dirs ...string) ([]*Survey, error) {
	var (
		byID  = map[string]*Survey{}
		probs Problems
	)
	for _, dir := range dirs {
		list, ps, err := loadDir(dir)
		if err != nil {
			return nil, err
		}
		probs = append(probs, ps...)
		for _, s := range list {
			byID[s.ID] = s
		}
	}
	if len(probs) > 0 {
		probs.sort()
		return nil, probs
	}
	all := make([]*Survey, 0, len(byID))
	for _, s := range byID {
		all = append(all, s)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}

// loadDir loads the survey files of one directory: the surveys, and the problems of
// its files. The error is for a directory or file that cannot be read.
func loadDir(dir string) ([]*Survey, Problems, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("load surveys: %w", err)
	}
	type first struct {
		file string
		line int
	}
	var (
		all   []*Survey
		probs Problems
		seen  = map[string]first{} // survey id -> where it was first
	)
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") || IsTrajectoryFile(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, fmt.Errorf("load surveys: %w", err)
		}
		s, idNode, ps := parseSurvey(path, data)
		probs = append(probs, ps...)
		if s == nil || idNode == nil || s.ID == "" {
			continue
		}
		if f, dup := seen[s.ID]; dup {
			probs = append(probs, Problem{File: path, Line: idNode.Line, Col: idNode.Column,
				Msg: fmt.Sprintf("het vragenlijst-id %q staat ook in %s, op regel %d", clipValue(s.ID), f.file, f.line),
				Hint: "Elke vragenlijst in een map heeft een eigen id. Geef een van de twee een ander id, " +
					"of haal het oude bestand weg als dit een nieuwe versie is."})
			continue
		}
		seen[s.ID] = first{path, idNode.Line}
		all = append(all, s)
	}
	return all, probs, nil
}

// parseSurvey decodes and checks one file. It returns the survey (possibly partial when there
// are problems), the node of its id for cross-file messages, and the problems.
func parseSurvey(file string, data []byte) (*Survey, *yaml.Node, Problems) {
	d := &surveyDecoder{file: file}
	if len(data) > limFileBytes {
		d.problemAt(1, 1, "dit bestand is te groot: "+byteSize(len(data)),
			"Een vragenlijst is hoogstens "+byteSize(limFileBytes)+". Maak lange teksten korter, of verdeel de vragen over twee vragenlijsten.")
		return nil, nil, d.probs.list()
	}
	root := d.document(data)
	if root == nil || !d.checkBounds(root) {
		return nil, nil, d.probs.list()
	}
	s, idNode := d.survey(root)
	if s != nil {
		s.Warnings = d.warnings()
		if d.probs.total == 0 {
			d.translate(s)
		}
	}
	return s, idNode, d.probs.list()
}

// byteSize writes a file size in KiB, rounded up so that a file just past a limit
// does not read as the limit.
func byteSize(n int) string {
	return dutch.Int(int64((n+1<<10-1)>>10)) + " KiB"
}

// document parses the YAML text and returns its single top-level node, or nil after
// reporting a syntax error or an empty file.
func (d *surveyDecoder) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.problemAt(1, 1, emptyMsg, emptyHint)
		} else {
			d.syntax(err, data)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(&extra, "Een bestand bevat één vragenlijst. Zet de tweede in een eigen bestand, of haal de regel --- weg.",
			"hier begint een tweede vragenlijst (na ---)")
	}
	if len(doc.Content) == 0 {
		d.problemAt(1, 1, emptyMsg, emptyHint)
		return nil
	}
	return doc.Content[0]
}

const (
	emptyMsg  = "het bestand is leeg"
	emptyHint = "Een vragenlijst heeft de velden id, title, participatiekaart, schedule en questions; " +
		"begin met een kopie van examples/burgerpeiling.yaml."
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntax reports a YAML syntax error of the file data. yaml.v3 gives only a line,
// never a column, and for parser (not scanner) errors that line is zero-based; it
// leaves it out for line 1, and for an unknown anchor, whose alias is looked up.
func (d *surveyDecoder) syntax(err error, data []byte) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, col := 1, 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if isParserProblem(msg) {
			line++
		}
	} else if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		line, col = position(data, "*"+m[1])
	}
	text, hint := syntaxText(msg)
	d.problemAt(line, col, "de YAML klopt niet: "+text, hint)
}

// position is the line and column (from 1) where s first occurs in data, 1:1 when
// it does not.
func position(data []byte, s string) (int, int) {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 1, 1
	}
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	return bytes.Count(data[:i], []byte("\n")) + 1, utf8.RuneCount(data[start:i]) + 1
}

// isParserProblem reports whether msg is one of libyaml's parser (as opposed to
// scanner) problems, whose line yaml.v3 reports zero-based.
func isParserProblem(msg string) bool {
	switch msg {
	case "did not find expected <document start>", "did not find expected node content",
		"did not find expected key", "did not find expected '-' indicator",
		"did not find expected ',' or ']'", "did not find expected ',' or '}'":
		return true
	}
	return false
}

// Top-level keys of a survey file.
var yamlSurveyKeys = []string{"id", "title", "language", "talen", "participatiekaart", "schedule", "questions", "procesevaluatie", "bewaartermijn", "publiceren", "indicatoren", "referenties"}

// survey decodes the top-level mapping.
func (d *surveyDecoder) survey(root *yaml.Node) (*Survey, *yaml.Node) {
	f := d.mapping(root, "", surveySection)
	if f == nil {
		return nil, nil
	}
	s := &Survey{File: d.file, Language: "nl"}
	s.ID = d.text(f, "id", true, 0)
	if n := f.val["id"]; n != nil && s.ID != "" && !validSurveyID(s.ID) {
		d.errorf(n, idHint(s.ID, surveyIDChars, limSurveyID, "id", "burgerpeiling-2027"), "het id %q is niet toegestaan", s.ID)
	}
	// The source language first: every text mapping must have it.
	if n := f.val["language"]; n != nil {
		s.Language = d.text(f, "language", true, 0)
		if s.Language != "" && s.Language != "nl" && s.Language != "en" {
			d.errorf(n, "Kies nl (Nederlands) of en (Engels), bijvoorbeeld: language: nl", "de taal %q wordt niet ondersteund", s.Language)
		}
	}
	d.language = s.Language
	d.source = lang.Code(s.Language).Or()
	d.talen(f)
	s.Title = d.textIn(f, "title", true, limTitle, func(s *Survey) *string { return &s.Title })
	d.readerText("de titel", f.val["title"], s.Title)
	if n := d.required(f, "participatiekaart"); n != nil {
		s.Card = d.card(n)
	}
	if n := d.required(f, "schedule"); n != nil {
		s.Schedule = d.schedule(n)
	}
	if n := d.required(f, "questions"); n != nil {
		s.Questions = d.questions(n)
	}
	// The standard closing question, unless the file says procesevaluatie: false
	// or asks it itself under its id.
	if f.val["procesevaluatie"] == nil || d.boolean(f, "procesevaluatie") {
		if len(s.Questions) > 0 && !hasQuestion(s, ProcesevaluatieID) {
			s.Questions = append(s.Questions, Procesevaluatie(s.Language))
			qi := len(s.Questions) - 1
			d.addBuiltin(procesevaluatieTexts, func(s *Survey) *string { return &s.Questions[qi].Text })
		}
	}
	s.Bewaartermijn = d.retention(f)
	s.Publiceren = d.boolean(f, "publiceren")
	d.indicators(f, s)
	d.references(f, s)
	d.checkCardDates(s, f)
	return s, f.val["id"]
}
