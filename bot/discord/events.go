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
	{Name: "mijngegevens", Description: "Zien wat de gemeente van u bewaart (ook als bestand)"},
	{Name: "vergeetmij", Description: "Alles laten wissen wat de gemeente van u heeft"},
	// Discord's clients come in no Arabic (its locales: discord.com/developers/docs/reference#locales),
	// so Arabic readers find the command by its Dutch name, named in the welcome
	{Name: "taal", Description: "De taal van de berichten kiezen", DescriptionLocalizations: &map[discordgo.Locale]string{
		discordgo.EnglishUS: "Choose the language of the messages", discordgo.EnglishGB: "Choose the language of the messages",
		discordgo.Turkish: "Mesajların dilini seçin", discordgo.Polish: "Wybierz język wiadomości",
		discordgo.Ukrainian: "Виберіть мову повідомлень"}},
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
	ev, user, ack, ok := eventOf(ic)
	if ack != nil {
		c.respond(ic, ack)
	}
	if !ok {
		return
	}
	ev.Channel = c.Name()
	if !c.work.put(workerOf(user), job{ev: ev, user: user}) {
		c.log.Warn("interaction acknowledged after the channel stopped: the member taps again", "interaction", ic.ID)
	}
}

// eventOf maps an interaction: the event for the engine (without its chat, the DM, which
// handle opens), the user, and the acknowledgement to send at once. ok is false when
// there is nothing for the engine (a bot, an unknown type, the button that opens a modal).
func eventOf(ic *discordgo.InteractionCreate) (ev bot.Event, user string, ack *discordgo.InteractionResponse, ok bool) {
	if ic == nil || ic.Interaction == nil {
		return ev, "", nil, false
	}
	u := ic.User
	if ic.Member != nil && ic.Member.User != nil {
		u = ic.Member.User
	}
	if u == nil || u.Bot || u.ID == "" {
		return ev, "", nil, false
	}
	// Locale is the language the member's Discord client is set to ("en-US"), sent
	// with every interaction except pings
	ev = bot.Event{Channel: "discord", UpdateID: ic.ID, UserID: u.ID, Lang: string(ic.Locale)}
	if ic.GuildID == "" && ic.Context == discordgo.InteractionContextBotDM {
		ev.ChatID = ic.ChannelID // the DM with the bot, where the answer goes
	}
	ev.At, _ = discordgo.SnowflakeTimestamp(ic.ID) // an id is its creation time; zero when it is no snowflake
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		d, isCmd := ic.Data.(discordgo.ApplicationCommandInteractionData)
		if !isCmd {
			return ev, "", nil, false
		}
		ev.Kind, ev.Command = bot.CommandEvent, d.Name
		if cmd, ok := engineCommand[d.Name]; ok {
			ev.Command = cmd
		}
		for _, o := range d.Options {
			if v, isString := optionValue(o); isString {
				ev.Args = strings.TrimSpace(ev.Args + " " + v)
			}
		}
		text := "Een moment…"
		if ic.GuildID != "" {
			text = "Ik stuur u een privébericht."
		}
		ack = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral,
				AllowedMentions: noMentions()}}
	case discordgo.InteractionMessageComponent:
		d, isComp := ic.Data.(discordgo.MessageComponentInteractionData)
		if !isComp {
			return ev, "", nil, false
		}
		if max, ok := strings.CutPrefix(d.CustomID, askPrefix); ok {
			return ev, "", modal(max), false
		}
		ack = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
		ev.Kind, ev.Data = bot.ChoiceEvent, d.CustomID
		if len(d.Values) > 0 {
			ev.Data = d.Values[0] // a select menu's value is the button data
		}
		if ic.Message != nil && ic.GuildID == "" {
			ev.MessageRef = ic.Message.ChannelID + ":" + ic.Message.ID
		}
	case discordgo.InteractionModalSubmit:
		d, isModal := ic.Data.(discordgo.ModalSubmitInteractionData)
		if !isModal {
			return ev, "", nil, false
		}
		// a modal opened from a component (the "✏️ Antwoord typen" button: the
		// interaction carries its message) is acknowledged without a message (6),
		// so that the engine's reply ("✔ Antwoord opgeslagen.", or "Uw antwoord was al
		// ontvangen." for a form sent twice) is the one answer; any other modal submit
		// may only be answered with a message (4)
		ack = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
		if ic.Message == nil {
			ack = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "✔ Ontvangen.", Flags: discordgo.MessageFlagsEphemeral,
					AllowedMentions: noMentions()}}
		}
		ev.Kind = bot.TextEvent
		for _, row := range d.Components {
			if r, ok := row.(*discordgo.ActionsRow); ok {
				for _, comp := range r.Components {
					if in, ok := comp.(*discordgo.TextInput); ok {
						ev.Text = in.Value
					}
				}
			}
		}
	default:
		return ev, "", nil, false
	}
	return ev, u.ID, ack, true
}

// optionValue is a string option's value; discordgo's StringValue panics on an option
// whose value is not a string, which a forged interaction can send.
func optionValue(o *discordgo.ApplicationCommandInteractionDataOption) (string, bool) {
	if o == nil || o.Type != discordgo.ApplicationCommandOptionString {
		return "", false
	}
	v, ok := o.Value.(string)
	return v, ok
}

// recoverInteraction turns a panic while mapping an interaction into an event the
// engine sets aside, instead of a crash of the whole service.
func (c *Channel) recoverInteraction(ctx context.Context, ic *discordgo.InteractionCreate) {
	v := recover()
	if v == nil {
		return
	}
	c.log.Error("panic mapping interaction", "interaction", ic.ID, "panic", fmt.Sprint(v))
	ev := bot.Event{Channel: c.Name(), UpdateID: ic.ID, Problem: fmt.Sprintf("map interaction: panic: %v", v)}
	c.work.put(0, job{ev: ev})
}

// handle runs one acknowledged interaction through the engine, replies going to the DM.
func (c *Channel) handle(ctx context.Context, h bot.Handler, j job) {
	if j.ev.Problem != "" {
		if err := h.Handle(ctx, j.ev); err != nil {
			c.log.Error("set aside interaction", "err", err)
		}
		return
	}
	if j.ev.ChatID == "" { // from the server: the answer goes to the member's DM
		chat, err := c.dm(ctx, h, j.user)
		if err != nil {
			c.log.Error("open DM channel", "err", err)
			return
		}
		j.ev.ChatID = chat
	}
	if err := h.Handle(ctx, j.ev); err != nil {
		// Discord does not deliver an interaction twice: the resident taps again.
		c.log.Error("handle interaction", "err", err)
	}
}

// workerOf is the worker that handles a user's interactions, in their order.
func workerOf(user string) int {
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
func modal(max string) *discordgo.InteractionResponse {
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

// dm is the DM channel with a user, for an interaction in the server: the one the
// engine keeps with the participant (sealed, in Redis: the same across restarts and
// replicas), else opened (POST /users/@me/channels), for a new member or one whose
// DM Discord said was gone (the participant was then marked inactive).
func (c *Channel) dm(ctx context.Context, h bot.Handler, userID string) (string, error) {
	if f, ok := h.(bot.ChatFinder); ok {
		chat, known, err := f.KnownChat(ctx, c.Name(), userID)
		if err != nil {
			return "", err
		}
		if known {
			return chat, nil
		}
	}
	k := c.newCall(ctx)
	ch, err := c.dg.UserChannelCreate(userID, k.opts...)
	if err != nil {
		return "", fmt.Errorf("discord: DM channel: %w", k.classify(err))
	}
	return ch.ID, nil
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}
