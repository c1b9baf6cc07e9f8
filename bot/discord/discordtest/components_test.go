package discordtest

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// question is a DM with three answer buttons and a select menu, as a survey sends.
func question(t *testing.T, s *Server, dg *discordgo.Session, user string) *discordgo.Message {
	t.Helper()
	ch, err := dg.UserChannelCreate(user)
	if err != nil {
		t.Fatal(err)
	}
	m, err := dg.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{
		Content: "Moet de parkeerplaats een speeltuin worden?",
		Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Ja", CustomID: "q1:ja", Style: discordgo.SuccessButton},
				discordgo.Button{Label: "Nee", CustomID: "q1:nee", Style: discordgo.DangerButton},
				discordgo.Button{Label: "Weet ik niet", CustomID: "q1:weet", Style: discordgo.SecondaryButton, Disabled: true},
			}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.SelectMenu{CustomID: "q1:wijk", Placeholder: "Uw wijk", MaxValues: 2, Options: []discordgo.SelectMenuOption{
					{Label: "Centrum", Value: "centrum"}, {Label: "Noord", Value: "noord"}, {Label: "Zuid", Value: "zuid"},
				}},
			}},
		},
	})
	if err != nil {
		t.Fatalf("send question: got %v, want no error", err)
	}
	return m
}

func TestClickAndSelect(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg, got := openSession(t, s)
	m := question(t, s, dg, anna)
	tests := []struct {
		name    string
		press   func() (string, error)
		wantErr bool
		wantID  string
		values  []string
	}{
		{"button", func() (string, error) { return s.Click(anna, m.ID, "q1:ja") }, false, "q1:ja", nil},
		{"button by label", func() (string, error) { return "", s.ClickLabel(anna, "Nee") }, false, "q1:nee", nil},
		{"button by label prefix", func() (string, error) { return "", s.ClickLabel(anna, "Ne") }, false, "q1:nee", nil},
		{"disabled button", func() (string, error) { return s.Click(anna, m.ID, "q1:weet") }, true, "", nil},
		{"unknown button", func() (string, error) { return s.Click(anna, m.ID, "q2:ja") }, true, "", nil},
		{"another member's DM", func() (string, error) { return s.Click(bert, m.ID, "q1:ja") }, true, "", nil},
		{"select", func() (string, error) { return s.Select(anna, m.ID, "q1:wijk", "noord", "zuid") }, false, "q1:wijk", []string{"noord", "zuid"}},
		{"select by label", func() (string, error) { return "", s.SelectLabel(anna, "Centrum") }, false, "q1:wijk", []string{"centrum"}},
		{"select unknown value", func() (string, error) { return s.Select(anna, m.ID, "q1:wijk", "oost") }, true, "", nil},
		{"select too many", func() (string, error) { return s.Select(anna, m.ID, "q1:wijk", "noord", "zuid", "centrum") }, true, "", nil},
		{"select a button", func() (string, error) { return s.Select(anna, m.ID, "q1:ja", "ja") }, true, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.press()
			if (err != nil) != tt.wantErr {
				t.Fatalf("got %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			in := next(t, got)
			data := in.MessageComponentData()
			if data.CustomID != tt.wantID || in.Message == nil || in.Message.ID != m.ID || len(in.Message.Components) != 2 {
				t.Errorf("got %+v on %+v, want %s on message %s with its components", data, in.Message, tt.wantID, m.ID)
			}
			if len(data.Values) != len(tt.values) || (len(tt.values) > 0 && data.Values[0] != tt.values[0]) {
				t.Errorf("values: got %v, want %v", data.Values, tt.values)
			}
			if err := dg.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}); err != nil {
				t.Errorf("deferred update: got %v, want no error", err)
			}
		})
	}
}

func TestUpdateAndFollowups(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg, got := openSession(t, s)
	m := question(t, s, dg, anna)
	dm := s.DMChannel(anna)

	id, err := s.Click(anna, m.ID, "q1:ja")
	if err != nil {
		t.Fatal(err)
	}
	in := next(t, got)
	// A followup before the interaction is acknowledged has no webhook yet.
	if _, err := dg.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "te vroeg"}); code(t, err) != 10015 {
		t.Errorf("early followup: got %v, want code 10015", err)
	}
	update := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{
		Content: "U koos: Ja",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Wijzig", CustomID: "q1:wijzig"},
		}}},
	}}
	if err := dg.InteractionRespond(in, update); err != nil {
		t.Fatalf("update: got %v, want no error", err)
	}
	msgs := s.Messages(dm)
	if len(msgs) != 1 || msgs[0].Content != "U koos: Ja" || msgs[0].Edits != 1 || len(msgs[0].Components) != 1 || msgs[0].Components[0].Components[0].CustomID != "q1:wijzig" {
		t.Fatalf("after UPDATE_MESSAGE: got %+v, want the question edited once to one Wijzig button", msgs)
	}
	if _, err := s.Click(anna, m.ID, "q1:nee"); err == nil {
		t.Errorf("clicking a button the update removed: got no error, want one")
	}

	f, err := dg.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "Volgende vraag komt eraan", AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}})
	if err != nil {
		t.Fatalf("followup: got %v, want no error", err)
	}
	if _, err := dg.FollowupMessageEdit(in, f.ID, &discordgo.WebhookEdit{Content: ptr("Vraag 2 van 5")}); err != nil {
		t.Fatalf("edit followup: got %v, want no error", err)
	}
	if _, err := dg.InteractionResponseEdit(in, &discordgo.WebhookEdit{Components: &[]discordgo.MessageComponent{}}); err != nil {
		t.Fatalf("edit @original: got %v, want no error", err)
	}
	msgs = s.Messages(dm)
	if len(msgs) != 2 || msgs[0].Components != nil || msgs[0].Content != "U koos: Ja" || msgs[1].Content != "Vraag 2 van 5" || msgs[1].Interaction != id {
		t.Errorf("got %+v, want the question without buttons and the edited followup", msgs)
	}
	if string(msgs[1].AllowedMentions) != `{"parse":[],"replied_user":false}` {
		t.Errorf("allowed_mentions: got %s, want as sent", msgs[1].AllowedMentions)
	}
}

func TestDeferredThenFollowup(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg, got := openSession(t, s)
	s.Slash(anna, "uitslag", false, nil)
	in := next(t, got)
	if err := dg.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	first, err := dg.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "De uitslag"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dg.FollowupMessageCreate(in, false, &discordgo.WebhookParams{Content: "Alleen voor u", Flags: discordgo.MessageFlagsEphemeral}); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages(s.DMChannel(anna))
	if len(msgs) != 2 || msgs[0].ID != first.ID || msgs[0].Loading || msgs[0].Content != "De uitslag" || !msgs[1].Ephemeral {
		t.Errorf("got %+v, want the placeholder filled in by the first followup, then an ephemeral one", msgs)
	}
}

func TestModalFromButton(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg, got := openSession(t, s)
	m := question(t, s, dg, anna)
	if _, err := s.Click(anna, m.ID, "q1:nee"); err != nil {
		t.Fatal(err)
	}
	in := next(t, got)
	err := dg.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: "q1:waarom", Title: "Waarom niet?",
		Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "reden", Label: "Reden", Style: discordgo.TextInputParagraph, MaxLength: 1000}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "postcode", Label: "Postcode", Style: discordgo.TextInputShort, MaxLength: 7}}},
		},
	}})
	if err != nil {
		t.Fatalf("modal: got %v, want no error", err)
	}
	r := s.Responses(in.ID)
	if len(r) != 1 || r[0].Data.CustomID != "q1:waarom" || r[0].Data.Title != "Waarom niet?" || r[0].Data.Components[1].Components[0].MaxLength != 7 {
		t.Fatalf("recorded modal: got %+v, want q1:waarom with two inputs", r)
	}

	s.SubmitModal(anna, "q1:waarom", map[string]string{"reden": "Te weinig parkeerplek"})
	sub := next(t, got)
	data := sub.ModalSubmitData()
	if data.CustomID != "q1:waarom" || len(data.Components) != 2 || sub.Message == nil || sub.Message.ID != m.ID {
		t.Fatalf("submission: got %+v on %+v, want both inputs and the question", data, sub.Message)
	}
	first := data.Components[0].(*discordgo.ActionsRow).Components[0].(*discordgo.TextInput)
	second := data.Components[1].(*discordgo.ActionsRow).Components[0].(*discordgo.TextInput)
	if first.CustomID != "reden" || first.Value != "Te weinig parkeerplek" || second.CustomID != "postcode" || second.Value != "" {
		t.Errorf("inputs: got %+v %+v, want reden filled in and postcode empty", first, second)
	}
	// A modal opened from a button may update the button's message.
	if err := dg.InteractionRespond(sub, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{Content: "Dank voor uw toelichting"}}); err != nil {
		t.Fatalf("update after modal: got %v, want no error", err)
	}
	if msgs := s.Messages(s.DMChannel(anna)); msgs[0].Content != "Dank voor uw toelichting" || msgs[0].Components != nil {
		t.Errorf("got %+v, want the question replaced, its components cleared by the null discordgo sends", msgs[0])
	}
}
