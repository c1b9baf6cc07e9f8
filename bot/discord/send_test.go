package discord

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/bot"
)

func choices(prefix string, n int) []bot.Choice {
	var out []bot.Choice
	for i := range n {
		out = append(out, bot.Choice{Label: fmt.Sprintf("Optie %d", i+1), Data: fmt.Sprintf("%s:abcdefgh:0:%d", prefix, i)})
	}
	return out
}

func oneRowEach(cs []bot.Choice) [][]bot.Choice {
	var rows [][]bot.Choice
	for _, c := range cs {
		rows = append(rows, []bot.Choice{c})
	}
	return rows
}

// shape describes components as "b3 b5 s25 b2": buttons per row or select options.
func shape(rows []discordgo.MessageComponent) string {
	var parts []string
	for _, r := range rows {
		row := r.(discordgo.ActionsRow)
		if m, ok := row.Components[0].(discordgo.SelectMenu); ok {
			parts = append(parts, fmt.Sprintf("s%d", len(m.Options)))
			continue
		}
		parts = append(parts, fmt.Sprintf("b%d", len(row.Components)))
	}
	return strings.Join(parts, " ")
}

func TestComponentsWithinLimits(t *testing.T) {
	nav := []bot.Choice{{Label: "◀ Vorige", Data: "b:abcdefgh:1:0"}, {Label: "Overslaan", Data: "s:abcdefgh:1"}}
	tests := []struct {
		name string
		msg  bot.Message
		want string
	}{
		{"likert as given", bot.Message{Choices: oneRowEach(choices("a", 5))}, "b1 b1 b1 b1 b1"},
		{"rating two rows of five", bot.Message{Choices: [][]bot.Choice{choices("a", 5), choices("a", 5), nav}}, "b5 b5 b2"},
		{"ten options one per row are packed", bot.Message{Choices: append(oneRowEach(choices("a", 10)), nav)}, "b5 b5 b2"},
		{"thirty options become select menus", bot.Message{Choices: append(oneRowEach(choices("a", 30)), nav)}, "s25 s5 b2"},
		{"open question gets the typing button", bot.Message{Ask: &bot.Ask{MaxLength: 500}, Choices: [][]bot.Choice{nav}}, "b3"},
		{"hundred options", bot.Message{Choices: oneRowEach(choices("a", 100))}, "s25 s25 s25 s25"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := components(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			if got := shape(rows); got != tc.want {
				t.Errorf("got %q, want %q", shape(rows), tc.want)
			}
			if len(rows) > maxRows {
				t.Errorf("got %d rows, want at most %d", len(rows), maxRows)
			}
		})
	}
}

func TestComponentsRefuseLongData(t *testing.T) {
	_, err := components(bot.Message{Choices: [][]bot.Choice{{{Label: "x", Data: strings.Repeat("x", 101)}}}})
	if !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("got %v, want ErrPermanent", err)
	}
}

func TestCommandNamesInText(t *testing.T) {
	got := content("Stuur /start om mee te doen, /help voor uitleg of /stop. /status blijft.")
	want := "Stuur /deelnemen om mee te doen, /hulp voor uitleg of /stoppen. /status blijft."
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestAlbumMessageNames(t *testing.T) {
	album := []bot.File{{Name: "vraag 1.png", Alt: "A"}, {Name: "vraag 1.png", Alt: "B"}, {Name: "grafiek-ë.png", Alt: strings.Repeat("x", 7000)}}
	m := albumMessage(album, "")
	var names []string
	for _, f := range m.Files {
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, " "), "vraag-1.png 2-vraag-1.png grafiek--.png"; got != want {
		t.Errorf("names: got %q, want %q", got, want)
	}
	for i, e := range m.Embeds {
		if e.Image.URL != "attachment://"+names[i] {
			t.Errorf("embed %d: image %q, want attachment://%s", i, e.Image.URL, names[i])
		}
	}
	if n := len([]rune(m.Embeds[2].Description)); n != maxEmbedsTotal/3 {
		t.Errorf("long alt text: %d characters, want %d (an equal share of %d)", n, maxEmbedsTotal/3, maxEmbedsTotal)
	}
}

// With an image base, a shared chart (File.Ref) is an embed with its URL there and
// no upload; an image without a reference is still a file of the message.
func TestAlbumMessageByURL(t *testing.T) {
	ref := strings.Repeat("ab", 32)
	album := []bot.File{{Name: "vraag 1.png", Alt: "A", Ref: ref}, {Name: "eigen.png", Alt: "B"}}
	m := albumMessage(album, "https://gemeente.example/bijlage/")
	if len(m.Files) != 1 || m.Files[0].Name != "eigen.png" {
		t.Fatalf("files: got %d, want only the one without a reference", len(m.Files))
	}
	if got, want := m.Embeds[0].Image.URL, "https://gemeente.example/bijlage/"+ref; got != want {
		t.Errorf("shared chart: image %q, want %q", got, want)
	}
	if got := m.Embeds[1].Image.URL; got != "attachment://eigen.png" {
		t.Errorf("own image: %q, want attachment://eigen.png", got)
	}
	if m.Embeds[0].Description != "A" || m.Embeds[1].Description != "B" {
		t.Errorf("alt texts: %q %q", m.Embeds[0].Description, m.Embeds[1].Description)
	}
}
