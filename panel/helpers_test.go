package panel

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// kernen are Dalfsen's kernen with their inhabitants (kern and buitengebied together,
// examples/bevolking/dalfsen-kernen.yaml), and Welsum, which that file counts under
// Dalfsen, at a guess.
var kernen = []struct {
	name string
	n    int
}{
	{"Dalfsen", 11144}, {"Nieuwleusen", 9566}, {"Lemelerveld", 4798}, {"Oudleusen", 1783},
	{"Hoonhorst", 1604}, {"Ankum", 808}, {"Welsum", 300},
}

var streets = []string{"Kerkstraat", "Poëtenlaan", "Ruïneweg", "Hoofdweg", "Meeleweg", "Rechterensedijk",
	"Pastoor Kösterstraat", "Prinsenlaan", "Café-erf", "Westeinde"}

// synthCSV is a register extract of n addresses over the kernen in Dalfsen's
// proportions, ages 0..95, in a shuffled order, with separator sep.
func synthCSV(t testing.TB, n int, seed uint64, sep string) []byte {
	t.Helper()
	total := 0
	for _, k := range kernen {
		total += k.n
	}
	r := rand.New(rand.NewPCG(seed, 7))
	var rows []string
	for _, k := range kernen {
		m := k.n * n / total
		if k.name == "Dalfsen" { // the rounding goes to the largest
			m += n - sumShare(n, total)
		}
		for i := range m {
			street := streets[i%len(streets)]
			rows = append(rows, fmt.Sprintf("%s %d%s%s%s%d", street, i/len(streets)+1, sep, k.name, sep, r.IntN(96)))
		}
	}
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	var b bytes.Buffer
	b.WriteString("adres" + sep + "kern" + sep + "leeftijd\n")
	for _, row := range rows {
		b.WriteString(row + "\n")
	}
	return b.Bytes()
}

func sumShare(n, total int) int {
	s := 0
	for _, k := range kernen {
		s += k.n * n / total
	}
	return s
}

func synthRegister(t testing.TB, n int, seed uint64) *Register {
	t.Helper()
	reg, err := ReadRegister(bytes.NewReader(synthCSV(t, n, seed, ";")))
	if err != nil {
		t.Fatalf("ReadRegister: %v", err)
	}
	return reg
}

var testTime = time.Date(2025, 3, 3, 14, 5, 0, 0, time.UTC)

func fixedNow() time.Time { return testTime }

// exampleSpec is a participatiekaart as a municipality would fill it in.
func exampleSpec() LetterSpec {
	return LetterSpec{
		Gemeente:     "Dalfsen",
		TrajectTitle: "de toekomst van de kernen: wonen, ontmoeten en groen",
		Doel: "We maken een nieuwe omgevingsvisie. Daarin staat waar in de komende twintig jaar huizen, " +
			"groen en ontmoetingsplekken komen. We willen weten wat ú belangrijk vindt: ideeën, zorgen en wensen.",
		WieBeslist: "de gemeenteraad",
		Trede:      "adviseren",
		WatGebeurtErMee: "We bundelen alle antwoorden in een verslag. Dat verslag gaat als advies naar de " +
			"gemeenteraad, samen met de ontwerp-omgevingsvisie. Uw naam staat er nooit in; we laten alleen zien wat groepen vinden.",
		Terugkoppeling: time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC),
		Verloopt:       time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC),
		Datum:          time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		TelegramBot:    "DalfsenPraatMeeBot",
		WebChatURL:     "https://praatmee.dalfsen.nl/chat",
		WhatsAppNumber: "+31 6 1234 5678",
		Contact:        "Bel dan met Anouk Jansen, telefoon 14 0529, of mail naar participatie@dalfsen.nl. Ook kunt u langskomen in het gemeentehuis, Wilhelminalaan 1 in Dalfsen.",
		Afzender:       "Het college van burgemeester en wethouders van Dalfsen",
	}
}

var zeroTime time.Time
