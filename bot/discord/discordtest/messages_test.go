package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func row(cs ...discordgo.MessageComponent) discordgo.ActionsRow {
	return discordgo.ActionsRow{Components: cs}
}

func button(id string) discordgo.Button {
	return discordgo.Button{Label: "Knop " + id, CustomID: id}
}

func menu(options int) discordgo.SelectMenu {
	m := discordgo.SelectMenu{CustomID: "keuze"}
	for i := range options {
		m.Options = append(m.Options, discordgo.SelectMenuOption{Label: fmt.Sprint("Optie ", i), Value: fmt.Sprint(i)})
	}
	return m
}

func TestSendValidation(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg := newSession(t, s)
	ch, err := dg.UserChannelCreate(anna)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		msg      discordgo.MessageSend
		wantCode int    // 0: sent
		wantPath string // a field path in the errors object, for 50035
	}{
		{"text", discordgo.MessageSend{Content: "Hallo"}, 0, ""},
		{"2000 characters", discordgo.MessageSend{Content: strings.Repeat("a", 2000)}, 0, ""},
		{"2001 characters", discordgo.MessageSend{Content: strings.Repeat("a", 2001)}, 50035, `"content"`},
		{"empty", discordgo.MessageSend{}, 50006, ""},
		{"five rows of five buttons", discordgo.MessageSend{Content: "x", Components: fiveByFive()}, 0, ""},
		{"six rows", discordgo.MessageSend{Content: "x", Components: append(fiveByFive(), row(button("z")))}, 50035, `"components"`},
		{"six buttons in a row", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(button("a"), button("b"), button("c"), button("d"), button("e"), button("f"))}}, 50035, `"components"`},
		{"select with 25 options", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(menu(25))}}, 0, ""},
		{"select with 26 options", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(menu(26))}}, 50035, `"options"`},
		{"select beside a button", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(menu(2), button("a"))}}, 50035, "COMPONENT_LAYOUT_WIDTH_EXCEEDED"},
		{"button outside a row", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{button("a")}}, 50035, "UNION_TYPE_CHOICES"},
		{"text input in a message", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(discordgo.TextInput{CustomID: "t", Label: "T", Style: 1})}}, 50035, "UNION_TYPE_CHOICES"},
		{"custom_id of 100", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(discordgo.Button{Label: "Ja", CustomID: strings.Repeat("c", 100)})}}, 0, ""},
		{"custom_id of 101", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(discordgo.Button{Label: "Ja", CustomID: strings.Repeat("c", 101)})}}, 50035, `"custom_id"`},
		{"duplicate custom_id", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(button("a")), row(button("a"))}}, 50035, "COMPONENT_CUSTOM_ID_DUPLICATED"},
		{"label of 81", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(discordgo.Button{Label: strings.Repeat("l", 81), CustomID: "a"})}}, 50035, `"label"`},
		{"button without custom_id", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(discordgo.Button{Label: "Ja"})}}, 50035, `"custom_id"`},
		{"link button", discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(discordgo.Button{Label: "Site", Style: discordgo.LinkButton, URL: "https://example.org"})}}, 0, ""},
		{"components without content", discordgo.MessageSend{Components: []discordgo.MessageComponent{row(button("a"))}}, 0, ""},
		{"2000 emoji", discordgo.MessageSend{Content: strings.Repeat("😀", 2000)}, 0, ""},
		{"2001 characters with diacritics", discordgo.MessageSend{Content: strings.Repeat("ë", 2001)}, 50035, `"content"`},
		{"ten images with embeds", album(10, 10, 100), 0, ""},
		{"eleven files", album(11, 0, 0), 50035, `"files"`},
		{"eleven embeds", album(10, 11, 10), 50035, `"embeds"`},
		{"description of 4097", album(1, 1, 4097), 50035, `"description"`},
		{"embeds over 6000 together", album(3, 3, 2001), 50035, "MESSAGE_EMBEDS_TOO_LONG"},
		{"embed image not attached", album(1, 2, 10), 50035, "EMBED_ATTACHMENT_NOT_FOUND"},
		{"allowed mentions exclusive", discordgo.MessageSend{Content: "x", AllowedMentions: &discordgo.MessageAllowedMentions{
			Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeUsers}, Users: []string{anna},
		}}, 50035, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, violations := len(s.Messages(ch.ID)), len(s.Violations())
			m, err := dg.ChannelMessageSendComplex(ch.ID, &tt.msg)
			wantViolations := violations
			if tt.wantCode != 0 {
				wantViolations++
			}
			if got := len(s.Violations()); got != wantViolations {
				t.Errorf("violations: got %d, want %d", got, wantViolations)
			}
			if tt.wantCode == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				if msgs := s.Messages(ch.ID); len(msgs) != before+1 || msgs[before].ID != m.ID {
					t.Errorf("Messages: got %+v, want %s appended", msgs, m.ID)
				}
				return
			}
			if got := code(t, err); got != tt.wantCode || restError(t, err).Response.StatusCode != 400 {
				t.Fatalf("got %v, want 400 with code %v", err, tt.wantCode)
			}
			if body := restError(t, err).ResponseBody; !bytes.Contains(body, []byte(tt.wantPath)) {
				t.Errorf("errors: got %s, want mention of %s", body, tt.wantPath)
			}
			if got := len(s.Messages(ch.ID)); got != before {
				t.Errorf("Messages: got %v, want %v", got, before)
			}
		})
	}
}

func fiveByFive() []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	for r := range 5 {
		var bs []discordgo.MessageComponent
		for b := range 5 {
			bs = append(bs, button(fmt.Sprint(r, "-", b)))
		}
		rows = append(rows, row(bs...))
	}
	return rows
}

func TestDMs(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg := newSession(t, s)
	ch, err := dg.UserChannelCreate(anna)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Type != discordgo.ChannelTypeDM || ch.ID != s.DMChannel(anna) || len(ch.Recipients) != 1 || ch.Recipients[0].ID != anna {
		t.Fatalf("got %+v, want the DM with Anna, id %s", ch, s.DMChannel(anna))
	}
	if again, _ := dg.UserChannelCreate(anna); again.ID != ch.ID {
		t.Errorf("second open: got %v, want the same channel %v", again.ID, ch.ID)
	}
	if _, err := dg.UserChannelCreate("299999999999999999"); code(t, err) != 50033 {
		t.Errorf("unknown user: got %v, want code 50033", err)
	}

	m, err := dg.ChannelMessageSend(ch.ID, "Vraag 1")
	if err != nil {
		t.Fatal(err)
	}
	s.CloseDMs(anna)
	tests := []struct {
		name     string
		call     func() error
		wantCode int
		wantHTTP int
	}{
		{"send to closed DMs", func() error { _, err := dg.ChannelMessageSend(ch.ID, "Vraag 2"); return err }, 50007, 403},
		{"edit in closed DMs", func() error { _, err := dg.ChannelMessageEdit(ch.ID, m.ID, "Vraag 1b"); return err }, 50007, 403},
		{"unknown channel", func() error { _, err := dg.ChannelMessageSend("399999999999999999", "x"); return err }, 10003, 404},
		{"unknown message", func() error { _, err := dg.ChannelMessageEdit(s.GuildChannelID(), "1", "x"); return err }, 10008, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if got := code(t, err); got != tt.wantCode || restError(t, err).Response.StatusCode != tt.wantHTTP {
				t.Errorf("got %v, want %v with code %v", err, tt.wantHTTP, tt.wantCode)
			}
		})
	}
	s.OpenDMs(anna)
	if _, err := dg.ChannelMessageSend(ch.ID, "Vraag 2"); err != nil {
		t.Errorf("after OpenDMs: got %v, want no error", err)
	}
}

func TestEditsAndFiles(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg := newSession(t, s)
	ch := s.GuildChannelID()
	png := []byte("\x89PNG\r\n\x1a\nfake")
	m, err := dg.ChannelMessageSendComplex(ch, &discordgo.MessageSend{
		Content:         "Uitslag",
		Files:           []*discordgo.File{{Name: "uitslag.png", ContentType: "image/png", Reader: bytes.NewReader(png)}},
		AllowedMentions: &discordgo.MessageAllowedMentions{Users: []string{anna}},
		Components:      []discordgo.MessageComponent{row(button("meer"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "uitslag.png" || m.Author.ID != s.AppID() || m.GuildID != s.GuildID() {
		t.Errorf("returned message: got %+v, want one attachment by the bot in the guild", m)
	}
	if _, err := dg.ChannelMessageEdit(ch, m.ID, "Uitslag (definitief)"); err != nil {
		t.Fatal(err)
	}
	got := s.Messages(ch)
	if len(got) != 1 || got[0].Content != "Uitslag (definitief)" || got[0].Edits != 1 || len(got[0].Components) != 1 {
		t.Fatalf("got %+v, want the content edited and the button kept", got)
	}
	if len(got[0].Files) != 1 || !bytes.Equal(got[0].Files[0].Bytes, png) {
		t.Errorf("files: got %+v, want uitslag.png as uploaded", got[0].Files)
	}
	var am map[string]any
	if err := json.Unmarshal(got[0].AllowedMentions, &am); err != nil || am["users"] == nil {
		t.Errorf("allowed_mentions: got %s, want the users list as sent", got[0].AllowedMentions)
	}
	if err := dg.ChannelMessageDelete(ch, m.ID); err != nil {
		t.Fatal(err)
	}
	if got := s.Messages(ch); len(got) != 0 {
		t.Errorf("after delete: got %+v, want none", got)
	}
}

// album is a message with files images and embeds embeds, each showing image i
// (one past the files: not attached) with a description of desc characters.
func album(files, embeds, desc int) discordgo.MessageSend {
	var m discordgo.MessageSend
	for i := range files {
		m.Files = append(m.Files, &discordgo.File{Name: fmt.Sprintf("grafiek-%d.png", i), ContentType: "image/png",
			Reader: bytes.NewReader([]byte("\x89PNG\r\n\x1a\n"))})
	}
	for i := range embeds {
		m.Embeds = append(m.Embeds, &discordgo.MessageEmbed{Description: strings.Repeat("d", desc),
			Image: &discordgo.MessageEmbedImage{URL: fmt.Sprintf("attachment://grafiek-%d.png", i)}})
	}
	return m
}

func TestAlbumEmbeds(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg := newSession(t, s)
	ch, err := dg.UserChannelCreate(anna)
	if err != nil {
		t.Fatal(err)
	}
	m := album(3, 3, 20)
	if _, err := dg.ChannelMessageSendComplex(ch.ID, &m); err != nil {
		t.Fatal(err)
	}
	got := s.Messages(ch.ID)
	if len(got) != 1 || len(got[0].Files) != 3 || len(got[0].Embedded) != 3 || got[0].Embeds != 3 {
		t.Fatalf("got %+v, want one message with 3 files and 3 embeds", got)
	}
	for i, e := range got[0].Embedded {
		if want := fmt.Sprintf("attachment://grafiek-%d.png", i); e.Image != want || e.Description != strings.Repeat("d", 20) {
			t.Errorf("embed %d: got %+v, want image %s", i, e, want)
		}
	}
}
