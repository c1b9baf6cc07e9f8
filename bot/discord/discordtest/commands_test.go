package discordtest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestBulkOverwrite(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg := newSession(t, s)
	start := &discordgo.ApplicationCommand{Name: "start", Description: "Doe mee aan een ronde", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionInteger, Name: "ronde", Description: "Rondenummer"},
	}}
	tests := []struct {
		name     string
		guild    string
		commands []*discordgo.ApplicationCommand
		wantCode int
	}{
		{"global", "", []*discordgo.ApplicationCommand{start, {Name: "stop", Description: "Stop met meedoen"}}, 0},
		{"guild", s.GuildID(), []*discordgo.ApplicationCommand{{Name: "uitslag", Description: "Uitslag van een ronde"}}, 0},
		{"overwrite keeps ids", "", []*discordgo.ApplicationCommand{start}, 0},
		{"upper case name", "", []*discordgo.ApplicationCommand{{Name: "Start", Description: "x"}}, 50035},
		{"no description", "", []*discordgo.ApplicationCommand{{Name: "start"}}, 50035},
		{"other guild", "399999999999999999", []*discordgo.ApplicationCommand{start}, 50001},
	}
	ids := make(map[string]string)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.Commands(tt.guild)
			got, err := dg.ApplicationCommandBulkOverwrite(s.AppID(), tt.guild, tt.commands)
			if tt.wantCode != 0 {
				if code(t, err) != tt.wantCode {
					t.Errorf("got %v, want code %v", err, tt.wantCode)
				}
				if after := s.Commands(tt.guild); len(after) != len(before) {
					t.Errorf("Commands: got %v, want unchanged %v", len(after), len(before))
				}
				return
			}
			if err != nil || len(got) != len(tt.commands) {
				t.Fatalf("got %v %v, want %d commands", got, err, len(tt.commands))
			}
			raw := s.Commands(tt.guild)
			for i, c := range got {
				var sent struct{ Name string }
				_ = json.Unmarshal(raw[i], &sent)
				if c.ID == "" || c.ApplicationID != s.AppID() || c.GuildID != tt.guild || sent.Name != tt.commands[i].Name {
					t.Errorf("command %d: got %+v (sent %s), want %s with an id", i, c, raw[i], tt.commands[i].Name)
				}
				if old, seen := ids[c.Name]; seen && old != c.ID {
					t.Errorf("id of %s: got %v, want %v kept", c.Name, c.ID, old)
				}
				ids[c.Name] = c.ID
			}
		})
	}

	// A slash command carries the registered id and its declared option types.
	_, got := openSession(t, s)
	s.Slash(anna, "start", false, map[string]string{"ronde": "3"})
	data := next(t, got).ApplicationCommandData()
	if data.ID != ids["start"] || data.GetOption("ronde").IntValue() != 3 {
		t.Errorf("got %+v, want id %s and integer option 3", data, ids["start"])
	}
}

// TestThirtyMembers runs a round's worth of concurrent traffic, for the race detector:
// thirty members start at once, each gets a reply and a question in their DM, and
// each clicks the question's button.
func TestThirtyMembers(t *testing.T) {
	t.Parallel()
	const members = 30
	s := NewServer(t, testToken)
	dg, got := openSession(t, s)
	user := func(n int) string { return fmt.Sprintf("2000000000000000%02d", n) }

	// The bot answers every interaction, and asks a question after /start.
	var handlers sync.WaitGroup
	bot := make(chan struct{})
	go func() {
		defer close(bot)
		for range 2 * members {
			var in *discordgo.Interaction
			select {
			case ic := <-got:
				in = ic.Interaction
			case <-time.After(10 * time.Second):
				return
			}
			handlers.Add(1)
			go func() {
				defer handlers.Done()
				_ = dg.InteractionRespond(in, &discordgo.InteractionResponse{Type: 4, Data: &discordgo.InteractionResponseData{Content: "Welkom"}})
				if in.Type == discordgo.InteractionApplicationCommand {
					ch, _ := dg.UserChannelCreate(in.User.ID)
					_, _ = dg.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{Content: "Vraag 1", Components: []discordgo.MessageComponent{row(button("ja"))}})
				}
			}()
		}
	}()

	dmLen := func(n int) int { return len(s.Messages(s.DMChannel(user(n)))) }
	concurrently := func(f func(n int)) {
		var wg sync.WaitGroup
		for n := range members {
			wg.Add(1)
			go func() { defer wg.Done(); f(n) }()
		}
		wg.Wait()
	}
	concurrently(func(n int) {
		s.AddMember(user(n), fmt.Sprint("Lid ", n))
		s.Slash(user(n), "start", false, nil)
	})
	s.WaitFor(t, 10*time.Second, "every member's question", func() bool {
		for n := range members {
			if dmLen(n) != 2 {
				return false
			}
		}
		return true
	})
	concurrently(func(n int) {
		if err := s.ClickLabel(user(n), "Knop ja"); err != nil {
			t.Errorf("member %d: got %v, want no error", n, err)
		}
	})
	<-bot
	handlers.Wait()
	for n := range members {
		if got := dmLen(n); got != 3 {
			t.Errorf("member %d: got %d messages, want 3", n, got)
		}
	}
}
