package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
)

// outboxCmd serves `participatiebot outbox dead|retry`.
func outboxCmd(ctx context.Context, args []string, getenv env, out io.Writer) error {
	topic, rest := "outbox", args
	if len(args) > 0 {
		if _, ok := helpTexts["outbox "+args[0]]; ok {
			topic, rest = "outbox "+args[0], args[1:]
		}
	}
	fs := flag.NewFlagSet(topic, flag.ContinueOnError)
	channel := fs.String("kanaal", "", "")
	n, all := new(int), new(bool)
	switch topic {
	case "outbox dead":
		fs.IntVar(n, "n", 50, "")
	case "outbox retry":
		fs.BoolVar(all, "all", false, "")
	}
	pos, err := parseArgs(fs, topic, rest, out)
	if err != nil {
		return err
	}
	switch {
	case topic == "outbox" && len(pos) == 0:
		return usagef(topic, "kies dead of retry")
	case topic == "outbox":
		return usagef(topic, "onbekend: outbox %s", pos[0])
	case topic == "outbox dead" && len(pos) != 0:
		return noArgs(topic, pos)
	case topic == "outbox dead" && *n <= 0:
		return usagef(topic, "-n moet groter dan 0 zijn")
	case topic == "outbox retry" && *all == (len(pos) > 0):
		return usagef(topic, "noem de id's van de berichten, of --all")
	case topic == "outbox retry" && *channel != "" && !*all:
		return usagef(topic, "--kanaal hoort bij --all (de id noemt het kanaal al)")
	}
	for _, id := range pos {
		if _, _, err := outbox.ParseDeadID(id); err != nil {
			return usagef(topic, "onbekende id %q: schrijf kanaal:nummer, zoals outbox dead het toont (bijvoorbeeld telegram:42)", id)
		}
	}
	cfg, st, err := cliStore(ctx, getenv, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if topic == "outbox dead" {
		return listDead(ctx, st, cfg, *channel, *n, out)
	}
	var put int
	if *all {
		put, err = outbox.RetryAllDead(ctx, st.Store, *channel)
	} else {
		put, err = outbox.RetryDead(ctx, st.Store, pos)
	}
	if err != nil {
		return err
	}
	switch {
	case put == 0:
		fmt.Fprintln(out, "Geen opgegeven berichten gevonden om terug te zetten.")
	case put == 1:
		fmt.Fprintln(out, "1 bericht staat weer in de wachtrij.")
	default:
		fmt.Fprintf(out, "%d berichten staan weer in de wachtrij.\n", put)
	}
	if !*all && put < len(pos) {
		fmt.Fprintf(out, "%d van de genoemde id's niet gevonden (al teruggezet, of opgeruimd).\n", len(pos)-put)
	}
	return nil
}

func listDead(ctx context.Context, st *openedStore, cfg *config, channel string, n int, out io.Writer) error {
	list, err := outbox.DeadLetters(ctx, st.Store, channel, n)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(out, "Geen opgegeven berichten.")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKANAAL\tTIJD\tPOGINGEN\tSOORT\tRONDE\tDEELNEMER\tREDEN")
	for _, d := range list {
		who := "-"
		if d.Participant != "" {
			who = d.Participant + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", d.ID, d.Channel, d.At.In(cfg.Location).Format("2006-01-02 15:04:05"),
			d.Attempts, deadKind(d), or(d.Round, "-"), who, d.Reason)
	}
	return tw.Flush()
}

// deadKind names a dead letter's kind for the organiser.
func deadKind(d outbox.DeadLetter) string {
	kind := map[string]string{bot.AboutPrompt: "vraag", bot.AboutInvite: "uitnodiging", bot.AboutReminder: "herinnering",
		"edit": "bewerking", "image": "afbeelding", "document": "document", "message": "bericht"}[d.Kind]
	if kind == "" {
		kind = "onleesbaar"
	}
	if d.Bulk {
		kind += " (rondzending)"
	}
	return kind
}
