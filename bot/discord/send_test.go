package discord

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

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

func restErr(status, code int) error {
	return &discordgo.RESTError{Response: &http.Response{StatusCode: status}, Message: &discordgo.APIErrorMessage{Code: code, Message: "x"}}
}

func TestClassify(t *testing.T) {
	rl := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 1500 * time.Millisecond}}}
	tests := []struct {
		name  string
		err   error
		check func(error) bool
	}{
		{"429 with retry_after", rl, func(e error) bool {
			var r *bot.RateLimitedError
			return errors.As(e, &r) && r.RetryAfter == 1500*time.Millisecond
		}},
		{"DMs closed (50007)", restErr(403, 50007), func(e error) bool { return errors.Is(e, bot.ErrRecipientGone) }},
		{"unknown channel (10003)", restErr(404, 10003), func(e error) bool { return errors.Is(e, bot.ErrRecipientGone) }},
		{"missing access (50001)", restErr(403, 50001), func(e error) bool { return errors.Is(e, bot.ErrPermanent) }},
		{"unauthorized", restErr(401, 0), func(e error) bool { return errors.Is(e, bot.ErrPermanent) }},
		{"server error is temporary", restErr(502, 0), func(e error) bool {
			return !errors.Is(e, bot.ErrPermanent) && !errors.Is(e, bot.ErrRecipientGone)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := classify(tc.err); !tc.check(got) {
				t.Errorf("got %v, not classified as expected", got)
			}
		})
	}
}
