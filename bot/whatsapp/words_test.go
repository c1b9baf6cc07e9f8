package whatsapp

import "testing"

// The engine's texts name slash commands; on WhatsApp a resident types words, and
// the texts say so. A URL or a path with a slash stays as it is.
func TestWordsForCommands(t *testing.T) {
	for in, want := range map[string]string{
		"Typ /help voor uitleg.":                           "Typ ‘hulp’ voor uitleg.",
		"stoppen met /stop; alles wissen met /vergeetmij.": "stoppen met ‘stop’; alles wissen met ‘vergeet mij’.",
		"Met /mijngegevens ziet u wat we bewaren.":         "Met ‘mijn gegevens’ ziet u wat we bewaren.",
		"https://gemeente.example/privacy":                 "https://gemeente.example/privacy",
		"/startpagina blijft":                              "/startpagina blijft",
	} {
		if got := words(in); got != want {
			t.Errorf("words(%q) = %q, want %q", in, got, want)
		}
	}
}
