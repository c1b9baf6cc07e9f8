package main

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/discord/discordtest"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// requestKinds counts the fake's requests by route, ids replaced by {id}, for a
// figure of requests per member.
func requestKinds(rs []discordtest.Request) map[string]int {
	ids := regexp.MustCompile(`/[0-9]{5,}|/[A-Za-z0-9_-]{40,}`)
	out := map[string]int{}
	for _, r := range rs {
		out[r.Method+" "+ids.ReplaceAllString(r.Path, "/{id}")]++
	}
	return out
}

// perMember renders requestKinds divided by n, most frequent first.
func perMember(kinds map[string]int, n int) string {
	type kv struct {
		k string
		v int
	}
	var all []kv
	total := 0
	for k, v := range kinds {
		all = append(all, kv{k, v})
		total += v
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v || all[i].v == all[j].v && all[i].k < all[j].k })
	var b strings.Builder
	fmt.Fprintf(&b, "%.2f requests per member (%d for %d members):", float64(total)/float64(n), total, n)
	for _, e := range all {
		fmt.Fprintf(&b, "\n  %6.2f %s", float64(e.v)/float64(n), e.k)
	}
	return b.String()
}

// createdDMs counts POST /users/@me/channels.
func createdDMs(dc *discordtest.Server) int {
	n := 0
	for _, r := range dc.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/users/@me/channels") {
			n++
		}
	}
	return n
}

// A member's DM channel is opened once: it is kept (sealed) with the participant in
// Redis, so that restarts and other replicas reuse it, and an interaction in the DM
// names it itself. 50 members, half starting in the server and half in the DM,
// across three restarts of serve, with slash commands in the server after each and
// a round's invitations and answers between them: 25 DM channels opened in all, one
// for each member who started in the server.
func TestDiscordDMChannelsAcrossRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	dc := withDiscord(h)
	h.serve()
	t.Cleanup(func() {
		if t.Failed() {
			var lines []string
			for _, l := range strings.Split(h.logs.String(), "\n") {
				if (strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR")) && !strings.Contains(l, "population") {
					lines = append(lines, l)
				}
			}
			t.Logf("warnings and errors of serve:\n%s", strings.Join(lines, "\n"))
		}
	})
	const n = 50
	members := joinDiscord(t, dc, "3000000000000", n)
	if got := createdDMs(dc); got > n {
		t.Fatalf("after onboarding: %d DM channels opened for %d members", got, n)
	}
	restart := func(what string) {
		t.Helper()
		// the taps made so far are acknowledged: an interaction Discord delivers to a
		// session that is closing is lost (the member sees it fail and taps again);
		// one acknowledged is handled, also when serve stops right after
		testwait.Until(t, 30*time.Second, "every interaction acknowledged before restart "+what, func() (bool, string) {
			for _, m := range members {
				m.mu.Lock()
				ids := slices.Clone(m.ids)
				m.mu.Unlock()
				for _, id := range ids {
					if len(dc.Responses(id)) == 0 {
						return false, "interaction " + id + " of member " + m.id + " not acknowledged"
					}
				}
			}
			return true, ""
		})
		before := dc.Identified()
		h.stop()
		h.serve()
		dc.WaitFor(t, 30*time.Second, "the gateway after restart "+what, func() bool { return dc.Identified() > before && dc.Connected() })
	}
	// restart 1, then /status in the server: answered in the DM kept with the participant
	restart("1")
	parallel(t, n, func(i int) error {
		m := members[i]
		_ = m.made(dc.Slash(m.id, "status", true, nil), nil)
		_, err := m.await("U doet mee sinds")
		return err
	})
	// restart 2, then a round: the invitations go to the kept DMs, the first answer
	// comes from the DM itself
	restart("2")
	out := h.cli("rounds", "open", "e2e")
	rid := strings.Fields(out)[1]
	parallel(t, n, func(i int) error {
		m := members[i]
		if err := m.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
			return err
		}
		return m.step("Vraag 1 van 7", posities[i%len(posities)])
	})
	// restart 3, then /deelnemen in the server goes on with the round in the DM
	restart("3")
	parallel(t, n, func(i int) error {
		m := members[i]
		_ = m.made(dc.Slash(m.id, "deelnemen", true, nil), nil)
		_, err := m.await("Vraag 2 van 7")
		if err != nil {
			m.mu.Lock()
			defer m.mu.Unlock()
			for _, id := range m.ids[max(len(m.ids)-3, 0):] {
				err = fmt.Errorf("%w\ninteraction %s: responses %+v, sent to shards %v, failed %v", err, id, dc.Responses(id), dc.SentTo(id), dc.Failed(id))
			}
		}
		return err
	})
	h.cli("rounds", "close", rid)
	// one for each member who started in the server; none for those who started in
	// the DM, whose interactions name it
	if got := createdDMs(dc); got != n/2 {
		t.Errorf("POST /users/@me/channels: got %d for %d members across three restarts, want %d (one for each who started in the server)", got, n, n/2)
	}
	t.Log(perMember(requestKinds(dc.Requests()), n))
}
