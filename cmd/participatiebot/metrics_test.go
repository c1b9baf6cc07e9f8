package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape fetches /metrics and flattens it to "name{label=value,…}" -> value (labels
// sorted; a histogram as its _count and _sum).
func scrape(base string) (map[string]float64, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("parse /metrics: %w", err)
	}
	out := map[string]float64{}
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			slices.Sort(labels)
			key := "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.GetCounter() != nil:
				out[name+key] = m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				out[name+key] = m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				out[name+"_count"+key] = float64(m.GetHistogram().GetSampleCount())
				out[name+"_sum"+key] = m.GetHistogram().GetSampleSum()
			}
		}
	}
	return out, nil
}

// TestMetrics runs serve, has two residents join on Telegram and answer the first
// question of a round, queues messages that are not due yet and one that cannot be
// read (a dead letter), and reads /metrics until it shows exactly that.
func TestMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.env["REPLICA_ID"] = "replica-test"
	h.serve()
	base := h.baseURL()

	const n = 2
	residents := make([]*resident, n)
	parallel(t, n, func(i int) error {
		residents[i] = h.resident(int64(2000 + i))
		return residents[i].join(ageLabels[i], kernen[i])
	})
	if out := h.cli("rounds", "open", "e2e"); !strings.Contains(out, "is open tot") {
		t.Fatalf("rounds open: got %q", out)
	}
	parallel(t, n, func(i int) error {
		r := residents[i]
		if _, err := r.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
			return err
		}
		if _, err := r.step("Vraag 1 van 7", posities[i]); err != nil {
			return err
		}
		_, err := r.await("Vraag 2 van 7")
		return err
	})

	// queued straight into the telegram outbox: a reply and two bulk messages due in
	// an hour (they stay), and one that cannot be read (given up on at once)
	st, err := storage.Open(context.Background(), h.redis.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	later := time.Now().Add(time.Hour)
	if _, err := st.EnqueueBatch(context.Background(), "telegram", []storage.OutboxEntry{
		{Payload: []byte(`{"m":{"to":{"channel":"telegram","chat_id":"2000"},"text":"later"}}`), Due: later},
		{Payload: []byte(`{"m":{"to":{"channel":"telegram","chat_id":"2000"},"text":"later"}}`), Due: later, Bulk: true},
		{Payload: []byte(`{"m":{"to":{"channel":"telegram","chat_id":"2001"},"text":"later"}}`), Due: later, Bulk: true},
		{Payload: []byte("not json"), Due: time.Now()},
	}); err != nil {
		t.Fatal(err)
	}
	rounds, err := st.Rounds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byState := map[storage.State]float64{}
	for _, r := range rounds {
		byState[r.State]++
	}
	if byState[storage.Opened] != 1 {
		t.Fatalf("rounds open: got %v, want 1", byState)
	}

	// 2 residents × (/start, age, consent, kern, Doe mee, answer); only the /start
	// messages are dated (a button press has no date in Telegram)
	want := map[string]float64{
		`participatiebot_answers_recorded_total{channel=telegram,outcome=added}`:     n,
		`participatiebot_answers_recorded_total{channel=telegram,outcome=changed}`:   0,
		`participatiebot_inbound_updates_total{channel=telegram,outcome=handled}`:    6 * n,
		`participatiebot_inbound_updates_total{channel=telegram,outcome=failed}`:     0,
		`participatiebot_inbound_lag_seconds_count{channel=telegram}`:                n,
		`participatiebot_outbox_depth{channel=telegram,priority=reply}`:              1,
		`participatiebot_outbox_depth{channel=telegram,priority=bulk}`:               2,
		`participatiebot_outbox_oldest_age_seconds{channel=telegram,priority=reply}`: 0,
		`participatiebot_outbox_dead_letters{channel=telegram}`:                      1,
		`participatiebot_outbox_sends_total{channel=telegram,result=dead}`:           1,
		`participatiebot_scheduler_leader{replica=replica-test}`:                     1,
		`participatiebot_store_up{}`:                                                 1,
	}
	for _, s := range []storage.State{storage.Scheduled, storage.Opened, storage.Closed, storage.Published, storage.Decided} {
		want[`participatiebot_rounds{state=`+string(s)+`}`] = byState[s]
	}
	testwait.Until(t, 30*time.Second, "/metrics to show what was done", func() (bool, string) {
		got, err := scrape(base)
		if err != nil {
			return false, err.Error()
		}
		var off []string
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				off = append(off, fmt.Sprintf("%s: got %v (present %v), want %v", k, g, ok, v))
			}
		}
		slices.Sort(off)
		return len(off) == 0, strings.Join(off, "; ")
	})
	got, err := scrape(base)
	if err != nil {
		t.Fatal(err)
	}
	// the sends that went out: every prompt and edit the residents saw, more than none
	if got[`participatiebot_outbox_sends_total{channel=telegram,result=ok}`] < 6*n {
		t.Errorf("sends ok: got %v, want at least %d", got[`participatiebot_outbox_sends_total{channel=telegram,result=ok}`], 6*n)
	}
	for _, k := range []string{"go_goroutines{}", "process_cpu_seconds_total{}"} {
		if _, ok := got[k]; !ok {
			t.Errorf("%s: missing, want the runtime and process collectors", k)
		}
	}
	for k := range got {
		for _, r := range residents {
			if strings.Contains(k, fmt.Sprint(r.uid)) {
				t.Errorf("%s names a resident's chat", k)
			}
		}
	}

	// every log line says which replica wrote it
	for _, line := range strings.Split(strings.TrimSpace(h.logs.String()), "\n") {
		if strings.Contains(line, "msg=") && !strings.Contains(line, "replica=replica-test") {
			t.Errorf("log line without the replica: %s", line)
			break
		}
	}
}
