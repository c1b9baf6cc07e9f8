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
// .../interactions/message-components): content 2000 characters, 5 action rows,
// 5 buttons per row, button labels 80, select menus 25 options with labels of 100.
const (
	maxContent     = 2000
	maxRows        = 5
	maxPerRow      = 5
	maxLabel       = 80
	maxSelectItems = 25
)

// commandNames shows the engine's command names as this channel's slash commands.
var commandNames = regexp.MustCompile(`/(start|help|stop)\b`)

var discordName = map[string]string{"start": "/deelnemen", "help": "/hulp", "stop": "/stoppen"}

func content(text string) string {
	return commandNames.ReplaceAllStringFunc(text, func(s string) string { return discordName[s[1:]] })
}

// Send renders a neutral message as a DM (or an edit of one). Mentions never ping:
// allowed_mentions is empty on every message.
func (c *Channel) Send(ctx context.Context, m bot.Message) error {
	comps, err := components(m)
	if err != nil {
		return err
	}
	text := content(m.Text)
	if chat, msg, ok := strings.Cut(m.EditRef, ":"); ok && chat == m.To.ChatID && m.Image == nil && m.Document == nil {
		edit := discordgo.NewMessageEdit(chat, msg)
		edit.Content = &text
		edit.Components = &comps
		edit.AllowedMentions = noMentions()
		_, err := c.dg.ChannelMessageEditComplex(edit)
		if err == nil {
			return nil
		}
		if cerr := classify(err); !errors.Is(cerr, bot.ErrPermanent) {
			return fmt.Errorf("discord edit: %w", cerr)
		}
		// the message is gone: say it anew
	}
	parts := bot.Split(text, maxContent)
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
		if _, err := c.dg.ChannelMessageSendComplex(m.To.ChatID, send); err != nil {
			return fmt.Errorf("discord send: %w", classify(err))
		}
	}
	return nil
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

// classify maps discordgo failures onto the bot errors the outbox acts on. JSON error
// codes: 50007 cannot send messages to this user (DMs closed), 10003 unknown channel,
// 10013 unknown user; 10008 unknown message (an edit of a deleted message).
func classify(err error) error {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return &bot.RateLimitedError{RetryAfter: max(rl.RetryAfter, 1)}
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return err // network trouble: temporary
	}
	code := 0
	msg := ""
	if re.Message != nil {
		code, msg = re.Message.Code, re.Message.Message
	}
	status := re.Response.StatusCode
	switch {
	case code == 50007 || code == 10003 || code == 10013:
		return fmt.Errorf("%w: %d %s", bot.ErrRecipientGone, code, msg)
	case status == http.StatusTooManyRequests:
		return &bot.RateLimitedError{RetryAfter: 5e9}
	case status >= 400 && status < 500:
		return fmt.Errorf("%w: %d %d %s", bot.ErrPermanent, status, code, msg)
	}
	return fmt.Errorf("discord error %d: %s", status, msg)
}
