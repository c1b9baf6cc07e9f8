package discord

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/bot"
)

// Interactions as the gateway sends them (discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
var interactionSeeds = []string{
	`{"id":"1101","application_id":"9","type":2,"token":"t","version":1,"channel_id":"55","user":{"id":"42","username":"inwoner"},"data":{"id":"7","name":"deelnemen","type":1}}`,
	`{"id":"1102","application_id":"9","type":2,"token":"t","version":1,"guild_id":"3","channel_id":"55","member":{"user":{"id":"42","username":"inwoner"}},"data":{"id":"7","name":"uitslag","type":1,"options":[{"name":"ronde","type":3,"value":"e2e-20261201-0900"}]}}`,
	`{"id":"1103","application_id":"9","type":3,"token":"t","version":1,"channel_id":"55","user":{"id":"42","username":"inwoner"},"message":{"id":"77","channel_id":"55"},"data":{"custom_id":"a:abcdefg2:0:1","component_type":2}}`,
	`{"id":"1104","application_id":"9","type":3,"token":"t","version":1,"channel_id":"55","user":{"id":"42","username":"inwoner"},"message":{"id":"77","channel_id":"55"},"data":{"custom_id":"menu","component_type":3,"values":["a:abcdefg2:0:30"]}}`,
	`{"id":"1105","application_id":"9","type":5,"token":"t","version":1,"channel_id":"55","user":{"id":"42","username":"inwoner"},"data":{"custom_id":"antwoord","components":[{"type":1,"components":[{"type":4,"custom_id":"tekst","value":"Meer groen in de kern"}]}]}}`,
	`{"id":"1106","application_id":"9","type":3,"token":"t","version":1,"channel_id":"55","user":{"id":"42","username":"inwoner"},"data":{"custom_id":"ask:400","component_type":2}}`,
	`{"id":"1107","application_id":"9","type":2,"token":"t","version":1,"channel_id":"55","user":{"id":"42","username":"inwoner"},"data":{"id":"7","name":"open","type":1,"options":[{"name":"vragenlijst","type":3,"value":12}]}}`,
	`{"id":"1108","application_id":"9","type":3,"token":"t","version":1,"channel_id":"55","user":{"id":"43","username":"bot","bot":true},"data":{"custom_id":"a:abcdefg2:0:1","component_type":2}}`,
}

func TestEventOf(t *testing.T) {
	tests := []struct {
		seed int
		ok   bool
		kind bot.EventKind
		want string // command, data or text
	}{
		{0, true, bot.CommandEvent, "start"},
		{1, true, bot.CommandEvent, "uitslag"},
		{2, true, bot.ChoiceEvent, "a:abcdefg2:0:1"},
		{3, true, bot.ChoiceEvent, "a:abcdefg2:0:30"},
		{4, true, bot.TextEvent, "Meer groen in de kern"},
		{5, false, 0, ""},
		{6, true, bot.CommandEvent, "open"}, // a number where a string belongs: no panic, no argument
		{7, false, 0, ""},
	}
	for _, tt := range tests {
		var ic discordgo.InteractionCreate
		if err := json.Unmarshal([]byte(interactionSeeds[tt.seed]), &ic); err != nil {
			t.Fatalf("seed %d: %v", tt.seed, err)
		}
		ev, user, _, ok := eventOf(&ic)
		got := map[bot.EventKind]string{bot.CommandEvent: ev.Command, bot.ChoiceEvent: ev.Data, bot.TextEvent: ev.Text}[ev.Kind]
		if ok != tt.ok || ok && (ev.Kind != tt.kind || got != tt.want || user != "42" || ev.UpdateID != ic.ID) {
			t.Errorf("seed %d: got %v %v %q user %q, want %v %v %q user 42", tt.seed, ok, ev.Kind, got, user, tt.ok, tt.kind, tt.want)
		}
	}
}

// FuzzEventOf: any interaction JSON the gateway could deliver maps without a panic.
func FuzzEventOf(f *testing.F) {
	for _, s := range interactionSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var ic discordgo.InteractionCreate
		if json.Unmarshal(raw, &ic) != nil {
			return
		}
		ev, user, _, ok := eventOf(&ic)
		if ok && (user == "" || ev.Kind == 0 || ev.UserID != user) {
			t.Fatalf("mapped %s to %+v (user %q)", raw, ev, user)
		}
	})
}

// TestEventAt: an interaction's id is a snowflake, whose top bits are when it was
// made (discord.com/developers/docs/reference#snowflakes: the example 175928847299117063
// is 2016-04-30 11:18:25.796 UTC); an id that is no snowflake gives no time.
func TestEventAt(t *testing.T) {
	tests := []struct {
		name, id string
		want     time.Time
	}{
		{"the documented snowflake", "175928847299117063", time.UnixMilli(1462015105796)},
		{"no snowflake", "x1101", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ic discordgo.InteractionCreate
			seed := strings.Replace(interactionSeeds[0], `"id":"1101"`, `"id":"`+tt.id+`"`, 1)
			if err := json.Unmarshal([]byte(seed), &ic); err != nil {
				t.Fatal(err)
			}
			ev, _, _, ok := eventOf(&ic)
			if !ok || !ev.At.Equal(tt.want) {
				t.Errorf("got At %v (ok %v), want %v", ev.At, ok, tt.want)
			}
		})
	}
}

// An interaction in the member's DM with the bot names the chat to answer in; one
// in the server (or of an unknown context) leaves it to handle. A modal submitted
// from a component is acknowledged without a message, so that the engine's reply
// is the one answer; another modal submit gets the short message.
func TestEventOfChatAndAck(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		chat    string
		ackType discordgo.InteractionResponseType
	}{
		{"button in the DM", `{"id":"1201","type":3,"channel_id":"55","context":1,"user":{"id":"42"},"message":{"id":"77","channel_id":"55"},"data":{"custom_id":"a:abcdefg2:0:1","component_type":2}}`,
			"55", discordgo.InteractionResponseDeferredMessageUpdate},
		{"command in the server", `{"id":"1202","type":2,"guild_id":"3","channel_id":"66","context":0,"member":{"user":{"id":"42"}},"data":{"id":"7","name":"status","type":1}}`,
			"", discordgo.InteractionResponseChannelMessageWithSource},
		{"DM of another user (user-installed app)", `{"id":"1203","type":2,"channel_id":"99","context":2,"user":{"id":"42"},"data":{"id":"7","name":"status","type":1}}`,
			"", discordgo.InteractionResponseChannelMessageWithSource},
		{"modal from the button", `{"id":"1204","type":5,"channel_id":"55","context":1,"user":{"id":"42"},"message":{"id":"78","channel_id":"55"},"data":{"custom_id":"antwoord","components":[{"type":1,"components":[{"type":4,"custom_id":"tekst","value":"Meer groen"}]}]}}`,
			"55", discordgo.InteractionResponseDeferredMessageUpdate},
		{"modal without a message", `{"id":"1205","type":5,"channel_id":"55","context":1,"user":{"id":"42"},"data":{"custom_id":"antwoord","components":[{"type":1,"components":[{"type":4,"custom_id":"tekst","value":"Meer groen"}]}]}}`,
			"55", discordgo.InteractionResponseChannelMessageWithSource},
	}
	for _, tt := range tests {
		var ic discordgo.InteractionCreate
		if err := json.Unmarshal([]byte(tt.raw), &ic); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		ev, _, ack, ok := eventOf(&ic)
		if !ok || ev.ChatID != tt.chat || ack == nil || ack.Type != tt.ackType {
			t.Errorf("%s: got ok %v chat %q ack %+v, want chat %q ack type %d", tt.name, ok, ev.ChatID, ack, tt.chat, tt.ackType)
		}
	}
}
