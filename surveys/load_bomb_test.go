package surveys

import (
	"fmt"
	"strings"
)

// maxUpload is the largest file the dashboard accepts (dashboard/upload.go): every
// hostile file below fits in it. Parse refuses files past limFileBytes before it
// parses them, so the files that cost most are built to fill limFileBytes.
const maxUpload = 256 << 10

// bombHead is the valid start of a survey, up to its questions.
var bombHead = baseSurvey[:strings.Index(baseSurvey, "questions:")]

// bomb is a hostile survey file of at most limFileBytes bytes, or one past it.
type bomb struct {
	name string
	data []byte
	// refused is whether checkBounds refuses it (one problem) or the file is
	// walked, with its problems capped.
	refused bool
}

// fill repeats item after start as often as fits in limFileBytes with end after it.
func fill(start, item, end string) []byte {
	return fillTo(limFileBytes, start, item, end)
}

// fillTo repeats item after start as often as fits in size bytes with end after it.
func fillTo(size int, start, item, end string) []byte {
	n := (size - len(start) - len(end)) / len(item)
	return []byte(start + strings.Repeat(item, n) + end)
}

// bombs are the worst files we could build, in several shapes.
func bombs() []bomb {
	// The file: N aliases of a question whose options are M aliases.
	qHead := bombHead + "questions: [&q {id: q, type: single, text: t, options: [&o a"
	half := (limFileBytes - len(qHead) - 8) / 2 / len(",*o")
	questionsTimesOptions := qHead + strings.Repeat(",*o", half) + "]}" + strings.Repeat(",*q", half) + "]\n"

	// Billion laughs: ten levels of ten aliases each, used as the options.
	var laughs strings.Builder
	laughs.WriteString(bombHead + "lol:\n  - &l0 [" + strings.TrimSuffix(strings.Repeat("lol,", 10), ",") + "]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&laughs, "  - &l%d [%s]\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d,", i-1), 10), ","))
	}
	laughs.WriteString("questions:\n  - {id: q, type: single, text: t, options: *l9}\n")

	// A wide anchor: one question with many fields, listed again and again.
	var keys strings.Builder
	for i := range 480 {
		fmt.Fprintf(&keys, ", k%d: %d", i, i)
	}
	wide := bombHead + "questions: [&q {id: q, type: single, text: t, options: [a, b]" + keys.String() + "}"

	// A long text (5,000 three-byte characters) given as every text and label.
	long := strings.Repeat("€", limScalarChars)
	longText := bombHead + "lang: &t " + long + "\nquestions:\n"

	// Many distinct problems without aliases: unknown fields, each with a
	// suggestion to work out.
	var unknown strings.Builder
	unknown.WriteString(bombHead + "questions: [{id: q, type: single, text: t, options: [a, b]}]\n")
	for i := 0; unknown.Len() < limFileBytes-20 && 2*i < limNodes-100; i++ {
		fmt.Fprintf(&unknown, "titl%d: x\n", i)
	}

	// The most work the decoder can be made to do below the bounds: 50 aliases
	// of a question with 100 aliases of one long label, every option a problem.
	label := strings.Repeat("€", 266)
	maxWalk := bombHead + "questions: [&q {id: q, type: single, text: t, options: [&o " + label +
		strings.Repeat(",*o", limPool-1) + "]}" + strings.Repeat(",*q", limQuestions-1) + "]\n"

	return []bomb{
		{"vragen x opties", []byte(questionsTimesOptions), true},
		{"billion laughs", fill(laughs.String(), "  - {id: q, type: single, text: t, options: *l9}\n", ""), true},
		{"breed anker", fill(wide, ", *q", "]\n"), true},
		{"breed anker onder de grens", []byte(wide + strings.Repeat(", *q", limQuestions-1) + "]\n"), false},
		{"lange tekst", fill(longText, "  - {id: q, type: single, text: *t, options: [*t, *t]}\n", ""), true},
		{"lange tekst onder de grens", []byte(longText + strings.Repeat("  - {id: q, type: single, text: *t, options: [*t, *t]}\n", 80)), false},
		{"veel problemen", []byte(unknown.String()), false},
		{"diep genest", []byte("x: " + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + "\n"), true},
		{"lus", fill(bombHead+"questions: &l [*l", ", *l", "]\n"), true},
		{"meeste werk onder de grenzen", []byte(maxWalk), false},
		// Without aliases: the densest YAML we found, two nodes per two bytes,
		// and the one that costs yaml.v3 most memory, a comment per key.
		{"dicht zonder aliassen", fill("x: {", "a,", "a}\n"), true},
		{"dicht met commentaar", fill("x: {\n", "a,#\n", "a}\n"), false},
		{"groter dan de grens", fillTo(maxUpload, "x: {", "a,", "a}\n"), true},
	}
}
