package main

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// TestComposeTopology runs what deploy/compose.yaml starts, in one process: three
// replicas with one pseudonym key and their own REPLICA_ID on a Redis Cluster of 3
// masters with a replica each (REDIS_URL in ParseClusterURL form), Telegram by
// webhook behind a round-robin balancer. All three get ready, residents answer a
// round whose updates are spread over them, every answer is counted once, one
// replica leads the scheduler, and when it stops another takes the lead.
func TestComposeTopology(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.env["REDIS_URL"] = redistest.StartCluster(t, 3, 1).URL()
	h.env["PRIVACY_THRESHOLD"] = "1"
	lb := &roundRobin{served: map[string]int{}}
	front := httptest.NewServer(lb)
	t.Cleanup(front.Close)
	hook := map[string]string{"TELEGRAM_WEBHOOK_URL": front.URL + "/telegram/webhook"}
	reps := []*replica{h.replica("bot-1", hook), h.replica("bot-2", hook), h.replica("bot-3", hook)}
	for _, r := range reps {
		lb.add(r.name, r.addr(t))
	}
	for _, r := range reps {
		testwait.Until(t, 30*time.Second, r.name+" ready", func() (bool, string) {
			code, body := get(r.addr(t) + "/readyz")
			return code == http.StatusOK, body
		})
	}

	const n = 6
	exp := newExpect(loadE2E(t))
	residents := make([]*resident, n)
	parallel(t, n, func(i int) error {
		residents[i] = h.resident(int64(4000 + i))
		return residents[i].join(ageLabels[i%4], kernen[i%6])
	})
	rid := strings.Fields(h.cli("rounds", "open", "e2e"))[1]
	parallel(t, n, func(i int) error { return answerRound(residents[i], i, exp, nil) })
	h.cli("rounds", "close", rid)
	for _, r := range residents {
		if _, err := r.await("Bedankt voor uw deelname"); err != nil {
			t.Fatal(err)
		}
	}
	checkResults(t, h.results(rid), exp, n, n)
	if served := lb.counts(); len(served) != 3 {
		t.Errorf("webhook requests per replica: got %v, want all three", served)
	}

	leader := func(among []*replica) []string {
		var out []string
		for _, r := range among {
			if _, body := get(r.addr(t) + "/metrics"); regexp.MustCompile(`participatiebot_scheduler_leader\{replica="` + r.name + `"\} 1`).MatchString(body) {
				out = append(out, r.name)
			}
		}
		return out
	}
	var first []string
	testwait.Until(t, 15*time.Second, "one scheduler leader", func() (bool, string) {
		first = leader(reps)
		return len(first) == 1, strings.Join(first, ",")
	})
	var rest []*replica
	for _, r := range reps {
		if r.name == first[0] {
			r.stop(t)
		} else {
			rest = append(rest, r)
		}
	}
	// the lease lasts 9 s; a stopped leader gives it up, a dead one lets it run out
	testwait.Until(t, 15*time.Second, "another leader", func() (bool, string) {
		now := leader(rest)
		return len(now) == 1, strings.Join(now, ",")
	})
	t.Logf("webhook requests per replica %v; leader %s, then %v", lb.counts(), first[0], leader(rest))
	if v := h.tg.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}
