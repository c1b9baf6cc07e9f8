package rounds_test

import (
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestRemindUnderRepresentedFirst: with a population table, reminders are queued
// kern by kern from the lowest response rate: Nieuwleusen (nobody answered yet)
// before Hoonhorst (1 of 100 inhabitants) before Dalfsen (3 of 100), and those
// whose kern is unknown last.
func TestRemindUnderRepresentedFirst(t *testing.T) {
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, amsterdam(t))
	sv := survey("peiling", "0 9 * * 1", 48*time.Hour, 24*time.Hour)
	pids := []string{"d1", "d2", "d3", "d4", "h1", "h2", "n1", "n2", "x1"}
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 100, "Hoonhorst": 100, "Nieuwleusen": 100}}
	e := newEnvWith(t, nil, rounds.Config{Population: pop}, start, []*surveys.Survey{sv}, pids...)
	for _, pid := range pids {
		kern := map[byte]string{'d': "Dalfsen", 'h': "Hoonhorst", 'n': "Nieuwleusen"}[pid[0]]
		if kern != "" {
			if err := e.store.SetProfile(e.ctx, pid, "kern", kern); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.reconcileAt(t, start)
	rid := e.roundIDs(t)[0]
	// Answers counted per kern as the engine counts them (its profile at the time).
	for pid, kern := range map[string]string{"d1": "Dalfsen", "d2": "Dalfsen", "d3": "Dalfsen", "h1": "Hoonhorst"} {
		e.answerAs(t, rid, pid, surveys.Profile{Kern: kern})
	}
	e.reconcileAt(t, start.Add(25*time.Hour))
	var order []string
	e.notify.Read(func(m *roundstest.Messenger) { order = append(order, m.RemindOrder...) })
	// Every active participant is offered a reminder (the engine skips those who
	// finished); what matters is the order of the kernen.
	var kernen []byte
	for _, pid := range order {
		if len(kernen) == 0 || kernen[len(kernen)-1] != pid[0] {
			kernen = append(kernen, pid[0])
		}
	}
	if got := string(kernen); got != "nhdx" {
		t.Errorf("reminder order by kern: got %q (%s), want n, h, d, then unknown", got, strings.Join(order, " "))
	}
}
