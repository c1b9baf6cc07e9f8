package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
)

// inbound lists the inbound updates that were set aside (bot.Engine's inbound failure
// policy): what came in, why it could not be handled, how often it was tried.
func inbound(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("inbound", flag.ContinueOnError)
	n := fs.Int("n", 50, "")
	pos, err := parseArgs(fs, "inbound", args, out)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return noArgs("inbound", pos)
	}
	if *n <= 0 {
		return usagef("inbound", "-n moet groter dan 0 zijn")
	}
	cfg, st, err := cliStore(ctx, getenv, false)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.SetAsideUpdates(ctx, *n)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(out, "Geen inkomende berichten apart gezet.")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "tijd\tkanaal\tupdate\tsoort\tinhoud\tpogingen\treden")
	for _, d := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%q\t%d\t%s\n", d.Time.In(cfg.Location).Format("2006-01-02 15:04:05"),
			d.Channel, d.UpdateID, d.Kind, d.Detail, d.Attempts, d.Reason)
	}
	return tw.Flush()
}
