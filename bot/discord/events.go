package discord

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/bot"
)

// commands are the Dutch slash commands; engineCommand maps them to the engine's.
var commands = []*discordgo.ApplicationCommand{
	{Name: "deelnemen", Description: "Meedoen met de vragenrondes van de gemeente (of verder gaan)"},
	{Name: "stoppen", Description: "Afmelden en uw toestemming intrekken"},
	{Name: "status", Description: "Uw gegevens en de open rondes"},
	{Name: "hulp", Description: "Uitleg over de participatiebot"},
	{Name: "rondes", Description: "Organisatoren: alle rondes met respons"},
	{Name: "uitslag", Description: "Organisatoren: de uitslag van een ronde", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionString, Name: "ronde", Description: "id van de ronde", Required: true}}},
	{Name: "open", Description: "Organisatoren: open nu een ronde", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionString, Name: "vragenlijst", Description: "id van de vragenlijst", Required: true}}},
	{Name: "sluit", Description: "Organisatoren: sluit een ronde nu", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionString, Name: "ronde", Description: "id van de ronde", Required: true}}},
}

var engineCommand = map[string]string{"deelnemen": "start", "stoppen": "stop", "hulp": "help"}

// askPrefix marks the button that opens the modal for a typed answer: "ask:<max length>".
const askPrefix = "ask:"

// interaction acknowledges an interaction at once (Discord allows 3 seconds; the
// engine and its replies take their own time) and hands it to the engine.
func (c *Channel) interaction(ctx context.Context, ic *discordgo.InteractionCreate) {
	user := ic.User
	if ic.Member != nil && ic.Member.User != nil {
		user = ic.Member.User
	}
	if user == nil || user.Bot {
		return
	}
	ev := bot.Event{Channel: c.Name(), UpdateID: ic.ID, UserID: user.ID}
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		d := ic.ApplicationCommandData()
		ev.Kind, ev.Command = bot.CommandEvent, d.Name
		if cmd, ok := engineCommand[d.Name]; ok {
			ev.Command = cmd
		}
		for _, o := range d.Options {
			ev.Args = strings.TrimSpace(ev.Args + " " + o.StringValue())
		}
		text := "Een moment…"
		if ic.GuildID != "" {
			text = "Ik stuur u een privébericht."
		}
		c.respond(ic, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral,
				AllowedMentions: noMentions()}})
	case discordgo.InteractionMessageComponent:
		d := ic.MessageComponentData()
		if max, ok := strings.CutPrefix(d.CustomID, askPrefix); ok {
			c.respond(ic, modal(ic.Message, max))
			return
		}
		c.respond(ic, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate})
		ev.Kind, ev.Data = bot.ChoiceEvent, d.CustomID
		if len(d.Values) > 0 {
			ev.Data = d.Values[0] // a select menu's value is the button data
		}
		if ic.Message != nil && ic.GuildID == "" {
			ev.MessageRef = ic.Message.ChannelID + ":" + ic.Message.ID
		}
	case discordgo.InteractionModalSubmit:
		// a modal submit may always be answered with a message (4); a deferred update (6)
		// only when the modal came from a component, which a client cannot be sure of
		c.respond(ic, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "✔ Ontvangen.", Flags: discordgo.MessageFlagsEphemeral,
				AllowedMentions: noMentions()}})
		ev.Kind = bot.TextEvent
		for _, row := range ic.ModalSubmitData().Components {
			if r, ok := row.(*discordgo.ActionsRow); ok {
				for _, comp := range r.Components {
					if in, ok := comp.(*discordgo.TextInput); ok {
						ev.Text = in.Value
					}
				}
			}
		}
	default:
		return
	}
	select {
	case c.work[shard(user.ID)] <- job{ev: ev, user: user.ID}:
	case <-ctx.Done():
	}
}

// handle runs one acknowledged interaction through the engine, replies going to the DM.
func (c *Channel) handle(ctx context.Context, h bot.Handler, j job) {
	chat, err := c.dm(j.user)
	if err != nil {
		c.log.Error("open DM channel", "err", err)
		return
	}
	j.ev.ChatID = chat
	if err := h.Handle(ctx, j.ev); err != nil {
		// Discord does not deliver an interaction twice: the resident taps again.
		c.log.Error("handle interaction", "err", err)
	}
}

func shard(user string) int {
	h := fnv.New32a()
	h.Write([]byte(user))
	return int(h.Sum32() % workers)
}

func (c *Channel) respond(ic *discordgo.InteractionCreate, r *discordgo.InteractionResponse) {
	if err := c.dg.InteractionRespond(ic.Interaction, r); err != nil {
		c.log.Warn("acknowledge interaction", "err", err)
	}
}

// modal asks for a typed answer; Discord v0.29 needs ActionsRow + TextInput.
func modal(msg *discordgo.Message, max string) *discordgo.InteractionResponse {
	n, _ := strconv.Atoi(max)
	if n <= 0 || n > 4000 {
		n = 4000
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: "antwoord", Title: "Uw antwoord",
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{CustomID: "tekst", Label: "Uw antwoord", Style: discordgo.TextInputParagraph,
					Required: true, MaxLength: n, MinLength: 1},
			}}}}}
}

// dm returns (and remembers) the DM channel with a user.
func (c *Channel) dm(userID string) (string, error) {
	c.mu.Lock()
	id, ok := c.dms[userID]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	ch, err := c.dg.UserChannelCreate(userID)
	if err != nil {
		return "", fmt.Errorf("discord: DM channel: %w", classify(err))
	}
	c.mu.Lock()
	c.dms[userID] = ch.ID
	c.mu.Unlock()
	return ch.ID, nil
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}
