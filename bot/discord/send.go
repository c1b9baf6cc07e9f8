package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/bot"
)

// Discord message limits (discord.com/developers/docs/resources/message,
// .../interactions/message-components): 5 action rows, 5 buttons per row, button
// labels 80, select menus 25 options with labels of 100; embeds: a description of
// 4096 characters, 6000 characters in all the embeds of a message together
// (#embed-object-embed-limits). Content length is in Limits (DefaultLimits).
const (
	maxRows             = 5
	maxPerRow           = 5
	maxLabel            = 80
	maxSelectItems      = 25
	maxEmbedDescription = 4096
	maxEmbedsTotal      = 6000
)

// commandNames shows the engine's command names as this channel's slash commands.
var commandNames = regexp.MustCompile(`/(start|help|stop)\b`)

var discordName = map[string]string{"start": "/deelnemen", "help": "/hulp", "stop": "/stoppen"}

func content(text string) string {
	return commandNames.ReplaceAllStringFunc(text, func(s string) string { return discordName[s[1:]] })
}

// Send renders a neutral message as a DM (or an edit of one). Mentions never ping:
// allowed_mentions is empty on every message. Texts are split within the channel's
// Limits; an Album is one message with the images.
func (c *Channel) Send(ctx context.Context, m bot.Message) error {
	k := c.newCall(ctx)
	if len(m.Album) > 0 {
		if err := bot.CheckAlbum(m); err != nil {
			return fmt.Errorf("discord: %w", err)
		}
		if _, err := c.dg.ChannelMessageSendComplex(m.To.ChatID, albumMessage(m.Album, c.cfg.ImageBase), k.opts...); err != nil {
			return fmt.Errorf("discord send album: %w", k.classify(err))
		}
		return nil
	}
	comps, err := components(m)
	if err != nil {
		return err
	}
	text := content(m.Text)
	if chat, msg, ok := strings.Cut(m.EditRef, ":"); ok && chat == m.To.ChatID && m.Image == nil && m.Document == nil {
		edit := discordgo.NewMessageEdit(chat, msg)
		clipped := c.cfg.Limits.ClipText(text)
		edit.Content = &clipped
		edit.Components = &comps
		edit.AllowedMentions = noMentions()
		_, err := c.dg.ChannelMessageEditComplex(edit, k.opts...)
		if err == nil {
			return nil
		}
		if cerr := k.classify(err); !errors.Is(cerr, bot.ErrPermanent) {
			return fmt.Errorf("discord edit: %w", cerr)
		}
		// the message is gone: say it anew
	}
	parts := c.cfg.Limits.SplitText(text)
	for i, part := range parts {
		send := &discordgo.MessageSend{Content: part, AllowedMentions: noMentions()}
		if i == len(parts)-1 {
			send.Components = comps
			for _, f := range []*bot.File{m.Image, m.Document} {
				if f != nil {
					send.Files = append(send.Files, &discordgo.File{Name: f.Name, Reader: bytes.NewReader(f.Data)})
				}
			}
		}
		if _, err := c.dg.ChannelMessageSendComplex(m.To.ChatID, send, k.opts...); err != nil {
			return fmt.Errorf("discord send: %w", k.classify(err))
		}
	}
	return nil
}

// albumMessage is one message with the images, each shown by an embed that carries
// its alt text as description, within the embed limits. A shared image (File.Ref)
// is shown from imageBase when that is set, by URL: Discord's media proxy fetches
// it once for all members. Any other image goes as a file of the message, shown as
// "attachment://<name>"; names are made unique and safe for attachment:// URLs.
func albumMessage(album []bot.File, imageBase string) *discordgo.MessageSend {
	send := &discordgo.MessageSend{AllowedMentions: noMentions()}
	budget := min(maxEmbedDescription, maxEmbedsTotal/len(album))
	seen := map[string]bool{}
	for i, f := range album {
		embed := &discordgo.MessageEmbed{Description: bot.Clip(f.Alt, budget)}
		if f.Ref != "" && imageBase != "" {
			embed.Image = &discordgo.MessageEmbedImage{URL: imageBase + f.Ref}
		} else {
			name := attachmentName(f.Name, i, seen)
			send.Files = append(send.Files, &discordgo.File{Name: name, ContentType: http.DetectContentType(f.Data), Reader: bytes.NewReader(f.Data)})
			embed.Image = &discordgo.MessageEmbedImage{URL: "attachment://" + name}
		}
		send.Embeds = append(send.Embeds, embed)
	}
	return send
}

// attachmentName keeps letters, digits, '.', '-' and '_' of a file name (Discord
// replaces others in attachment names, and attachment:// must match), and numbers
// it when another file of the message has that name already.
func attachmentName(name string, i int, seen map[string]bool) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '-'
	}, name)
	if safe == "" {
		safe = "afbeelding.png"
	}
	if seen[safe] {
		safe = strconv.Itoa(i+1) + "-" + safe
	}
	seen[safe] = true
	return safe
}

// components lays the buttons out within Discord's limits: rows as given when they fit,
// else five to a row, else the answer options in select menus (25 each) with the
// navigation (back, skip, done) kept as buttons.
func components(m bot.Message) ([]discordgo.MessageComponent, error) {
	var answers, nav []bot.Choice
	for _, row := range m.Choices {
		for _, ch := range row {
			if ch.Data == "" || len(ch.Data) > DefaultLimits.MaxChoiceData {
				return nil, fmt.Errorf("discord: button data of %d bytes: %w", len(ch.Data), bot.ErrPermanent)
			}
			if isNav(ch.Data) {
				nav = append(nav, ch)
			} else {
				answers = append(answers, ch)
			}
		}
	}
	if m.Ask != nil {
		nav = append([]bot.Choice{{Label: "✏️ Antwoord typen", Data: askPrefix + strconv.Itoa(m.Ask.MaxLength)}}, nav...)
	}
	var rows []discordgo.MessageComponent
	navRows := (len(nav) + maxPerRow - 1) / maxPerRow
	fitsAsGiven := len(m.Choices) <= maxRows && m.Ask == nil
	for _, row := range m.Choices {
		fitsAsGiven = fitsAsGiven && len(row) <= maxPerRow
	}
	switch {
	case fitsAsGiven:
		for _, row := range m.Choices {
			rows = append(rows, buttons(row))
		}
		return rows, nil
	case (len(answers)+maxPerRow-1)/maxPerRow+navRows <= maxRows:
		for i := 0; i < len(answers); i += maxPerRow {
			rows = append(rows, buttons(answers[i:min(i+maxPerRow, len(answers))]))
		}
	default:
		for i := 0; i < len(answers) && len(rows) < maxRows-navRows; i += maxSelectItems {
			rows = append(rows, selectMenu(answers[i:min(i+maxSelectItems, len(answers))], len(rows)))
		}
	}
	for i := 0; i < len(nav); i += maxPerRow {
		rows = append(rows, buttons(nav[i:min(i+maxPerRow, len(nav))]))
	}
	return rows, nil
}

func isNav(data string) bool {
	for _, p := range []string{"b:", "s:", "d:"} {
		if strings.HasPrefix(data, p) {
			return true
		}
	}
	return false
}

func buttons(row []bot.Choice) discordgo.ActionsRow {
	r := discordgo.ActionsRow{}
	for _, ch := range row {
		style := discordgo.PrimaryButton
		if isNav(ch.Data) || strings.HasPrefix(ch.Data, askPrefix) {
			style = discordgo.SecondaryButton
		}
		r.Components = append(r.Components, discordgo.Button{Label: bot.Clip(ch.Label, maxLabel), CustomID: ch.Data, Style: style})
	}
	return r
}

func selectMenu(choices []bot.Choice, n int) discordgo.ActionsRow {
	menu := discordgo.SelectMenu{CustomID: "keuze:" + strconv.Itoa(n), Placeholder: "Kies uw antwoord…"}
	if n > 0 {
		menu.Placeholder = fmt.Sprintf("Meer keuzes (%d)…", n+1)
	}
	for _, ch := range choices {
		menu.Options = append(menu.Options, discordgo.SelectMenuOption{Label: bot.Clip(ch.Label, 100), Value: ch.Data})
	}
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{menu}}
}
