package discordtest

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestSlash(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg, got := openSession(t, s)
	tests := []struct {
		name  string
		guild bool
	}{
		{"in the guild", true},
		{"in a DM", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := s.Slash(anna, "start", tt.guild, map[string]string{"ronde": "parkeren"})
			in := next(t, got)
			data := in.ApplicationCommandData()
			if in.ID != id || in.Type != discordgo.InteractionApplicationCommand || in.AppID != s.AppID() || in.Version != 1 || data.Name != "start" {
				t.Errorf("interaction: got %+v, want id %s, type 2, app %s, version 1, /start", in, id, s.AppID())
			}
			if opt := data.GetOption("ronde"); opt == nil || opt.StringValue() != "parkeren" {
				t.Errorf("option ronde: got %+v, want parkeren", opt)
			}
			wantChannel, user := s.DMChannel(anna), in.User
			if tt.guild {
				wantChannel = s.GuildChannelID()
				if in.Member == nil || in.GuildID != s.GuildID() {
					t.Fatalf("member, guild: got %+v %q, want a member in %s", in.Member, in.GuildID, s.GuildID())
				}
				user = in.Member.User
			}
			if in.ChannelID != wantChannel || user == nil || user.ID != anna || user.Username != "Anna" {
				t.Errorf("channel, user: got %q %+v, want %q and Anna", in.ChannelID, user, wantChannel)
			}

			// Deferred, then the placeholder is filled in through @original.
			if err := dg.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
				t.Fatalf("respond: got %v, want no error", err)
			}
			if msgs := s.Messages(wantChannel); len(msgs) != 1 || !msgs[0].Loading || msgs[0].Interaction != id {
				t.Fatalf("after deferring: got %+v, want one loading message for %s", msgs, id)
			}
			m, err := dg.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: ptr("Welkom bij de ronde over parkeren")})
			if err != nil {
				t.Fatalf("edit @original: got %v, want no error", err)
			}
			msgs := s.Messages(wantChannel)
			if len(msgs) != 1 || msgs[0].ID != m.ID || msgs[0].Loading || msgs[0].Content != "Welkom bij de ronde over parkeren" {
				t.Errorf("after editing: got %+v, want the filled-in message %s", msgs, m.ID)
			}
			r := s.Responses(id)
			if len(r) != 1 || r[0].Type != 5 || r[0].Status != 204 || r[0].Delay <= 0 || r[0].Delay > InteractionDeadline || s.Failed(id) {
				t.Errorf("responses: got %+v, failed %v; want one type 5 answered 204 in time", r, s.Failed(id))
			}
		})
	}
}

func TestCallbackRules(t *testing.T) {
	t.Parallel()
	s := newServer(t, Deadline(300*time.Millisecond))
	dg, got := openSession(t, s)
	reply := func(content string) *discordgo.InteractionResponse {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: content}}
	}
	modal := func(title string, rows ...discordgo.MessageComponent) *discordgo.InteractionResponse {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{CustomID: "toelichting", Title: title, Components: rows}}
	}
	input := discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "tekst", Label: "Uw toelichting", Style: discordgo.TextInputParagraph, MaxLength: 500}}}
	tests := []struct {
		name       string
		first      *discordgo.InteractionResponse // answered before the response under test, nil for none
		late       bool                           // wait until the interaction failed
		resp       *discordgo.InteractionResponse
		raw        map[string]any // sent instead of resp, for what discordgo cannot build
		wantStatus int
		wantCode   int
	}{
		{"reply", nil, false, reply("Dank u"), nil, 204, 0},
		{"ephemeral reply", nil, false, &discordgo.InteractionResponse{Type: 4, Data: &discordgo.InteractionResponseData{Content: "Alleen voor u", Flags: discordgo.MessageFlagsEphemeral}}, nil, 204, 0},
		{"second callback", reply("een"), false, reply("twee"), nil, 400, 40060},
		{"deferred update on a command", nil, false, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, nil, 400, 50035},
		{"update on a command", nil, false, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{Content: "x"}}, nil, 400, 50035},
		{"empty reply", nil, false, reply(""), nil, 400, 50006},
		{"reply over 2000 characters", nil, false, reply(strings.Repeat("é", 2001)), nil, 400, 50035},
		{"reply of 2000 characters", nil, false, reply(strings.Repeat("é", 2000)), nil, 204, 0},
		{"late reply", nil, true, reply("te laat"), nil, 404, 10062},
		{"modal", nil, false, modal("Toelichting", input), nil, 204, 0},
		{"modal title over 45", nil, false, modal(strings.Repeat("t", 46), input), nil, 400, 50035},
		{"modal without rows", nil, false, modal("Toelichting"), nil, 400, 50035},
		{"modal with six rows", nil, false, modal("Toelichting", input, input, input, input, input, input), nil, 400, 50035},
		{"modal with a button", nil, false, modal("Toelichting", discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "Ja", CustomID: "ja"}}}), nil, 400, 50035},
		{"modal with a label component", nil, false, nil, map[string]any{"type": 9, "data": map[string]any{
			"custom_id": "toelichting", "title": "Toelichting", "components": []any{map[string]any{
				"type": 18, "label": "Uw toelichting", "component": map[string]any{"type": 4, "custom_id": "tekst", "style": 2},
			}},
		}}, 400, 50035},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := s.Slash(anna, "start", false, nil)
			in := next(t, got)
			if tt.first != nil {
				if err := dg.InteractionRespond(in, tt.first); err != nil {
					t.Fatalf("first response: got %v, want no error", err)
				}
			}
			if tt.late {
				s.WaitFor(t, 5*time.Second, "the interaction to fail", func() bool { return s.Failed(id) })
			}
			var err error
			if tt.raw != nil {
				_, err = dg.RequestWithBucketID("POST", discordgo.EndpointInteractionResponse(in.ID, in.Token), tt.raw, "callback")
			} else {
				err = dg.InteractionRespond(in, tt.resp)
			}
			status, gotCode := 204, 0
			if err != nil {
				status, gotCode = restError(t, err).Response.StatusCode, code(t, err)
			}
			if status != tt.wantStatus || gotCode != tt.wantCode {
				t.Errorf("got %v %v (%v), want %v %v", status, gotCode, err, tt.wantStatus, tt.wantCode)
			}
			r := s.Responses(id)
			if last := r[len(r)-1]; last.Status != tt.wantStatus {
				t.Errorf("recorded status: got %v, want %v", last.Status, tt.wantStatus)
			}
			if tt.late {
				// The token died with the interaction: no followups either.
				if _, err := dg.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "alsnog"}); code(t, err) != 10015 {
					t.Errorf("followup after failure: got %v, want code 10015", err)
				}
			}
			if wantFailed := tt.late || (tt.wantStatus != 204 && tt.first == nil); wantFailed {
				s.WaitFor(t, 5*time.Second, "the interaction to fail", func() bool { return s.Failed(id) })
			} else if s.Failed(id) {
				t.Errorf("Failed: got true, want false")
			}
		})
	}
}

func TestEphemeralReplyIsOnlyForTheUser(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg, got := openSession(t, s)
	id := s.Slash(anna, "start", true, nil)
	in := next(t, got)
	resp := &discordgo.InteractionResponse{Type: 4, Data: &discordgo.InteractionResponseData{
		Content: "Kies", Flags: discordgo.MessageFlagsEphemeral,
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "Ja", CustomID: "ja"}}}},
	}}
	if err := dg.InteractionRespond(in, resp); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages(s.GuildChannelID())
	if len(msgs) != 1 || !msgs[0].Ephemeral || msgs[0].Interaction != id {
		t.Fatalf("got %+v, want one ephemeral message", msgs)
	}
	if _, err := s.Click(bert, msgs[0].ID, "ja"); err == nil {
		t.Errorf("another member clicking: got no error, want one")
	}
	if _, err := s.Click(anna, msgs[0].ID, "ja"); err != nil {
		t.Errorf("the member clicking: got %v, want no error", err)
	}
}

func TestDeliverInteraction(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg, got := openSession(t, s)
	raw := `{"id": "1", "application_id": "9", "type": 2, "token": "oud", "version": 1,
		"channel_id": "55", "user": {"id": "200000000000000009", "username": "carla"},
		"data": {"id": "7", "name": "deelnemen", "type": 1}}`
	id, err := s.DeliverInteraction([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	in := next(t, got)
	if in.ID != id || in.ID == "1" || in.Token == "oud" || in.User == nil || in.User.ID != "200000000000000009" ||
		in.ChannelID != s.DMChannel("200000000000000009") || in.ApplicationCommandData().Name != "deelnemen" {
		t.Fatalf("got %+v, want the interaction as written with a fresh id and token, in carla's DM", in)
	}
	if err := dg.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "Een moment…"}}); err != nil {
		t.Fatalf("respond: got %v, want the callback accepted", err)
	}
	if r := s.Responses(id); len(r) != 1 || r[0].Status != 204 {
		t.Errorf("responses: got %+v, want one accepted", r)
	}
	if _, err := s.DeliverInteraction([]byte(`"x"`)); err == nil {
		t.Errorf("a string: got nil error, want one")
	}
}
