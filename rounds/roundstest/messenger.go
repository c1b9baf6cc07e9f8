// Package roundstest has test support for the rounds service and its trigger: a
// Messenger that records every recipient it is handed and fails or panics when told.
package roundstest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
)

// ErrDown is what the Messenger returns when told to fail.
var ErrDown = errors.New("notifier down")

// Messenger is a rounds.Messenger that records, per round and recipient, how often
// each message was asked for, and reports every recipient of a batch as queued now. Read
// and change its fields under Set or Read: the service may call it from another
// goroutine (a running scheduler).
type Messenger struct {
	mu sync.Mutex
	// Invites counts invitations by "<round>/<pid>"; InviteOrder lists
	// "<round>/<pid>" in the order the recipients were handed.
	Invites     map[string]int
	InviteOrder []string
	// Reminds counts reminders by "<round>/<i>/<pid>"; RemindOrder lists the
	// recipients in the order they were handed.
	Reminds     map[string]int
	RemindOrder []string
	// Results counts the results queued by "<round>/<pid>"; ResultsCalls counts
	// every recipient handed results, the failed one too.
	Results      map[string]int
	ResultsCalls int
	// Sent are the results handed for each round, the last ones.
	Sent map[string]*results.Results
	// Decisions counts decisions by "<round>/<pid>".
	Decisions map[string]int
	// Stuurgroep and Announced count the group messages by round.
	Stuurgroep, Announced map[string]int
	// Digests are the digests sent, in order.
	Digests []Digest
	// Batches are the sizes of the batches handed, in order.
	Batches []int

	// FailResultsAt fails results at the FailResultsAt-th recipient (counting from
	// 1 over the Messenger's life), after queueing the ones before it in its batch.
	FailResultsAt int
	// Fail makes every call of the method named fail ("Invite", "SendStuurgroep" …).
	Fail map[string]bool
	// PanicInvite makes Invite panic.
	PanicInvite bool
}

// Digest is one digest sent.
type Digest struct {
	Period string
	Report *digest.Report
}

// New returns an empty Messenger.
func New() *Messenger {
	return &Messenger{Invites: map[string]int{}, Reminds: map[string]int{}, Results: map[string]int{},
		Decisions: map[string]int{}, Stuurgroep: map[string]int{}, Announced: map[string]int{}, Fail: map[string]bool{}}
}

// Set changes the Messenger under its lock.
func (m *Messenger) Set(fn func(m *Messenger)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fn(m)
}

// Read reads the Messenger under its lock.
func (m *Messenger) Read(fn func(m *Messenger)) { m.Set(fn) }

// Counts returns a copy of one of the count maps (Invites, Reminds, …), taken under
// the lock.
func (m *Messenger) Counts(which func(m *Messenger) map[string]int) map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(which(m))
}

// Invites picks the invitation counts, for Counts.
func Invites(m *Messenger) map[string]int { return m.Invites }

// Reminds picks the reminder counts, for Counts.
func Reminds(m *Messenger) map[string]int { return m.Reminds }

// Results picks the results counts, for Counts.
func Results(m *Messenger) map[string]int { return m.Results }

// Decisions picks the decision counts, for Counts.
func Decisions(m *Messenger) map[string]int { return m.Decisions }

// Stuurgroep picks the stuurgroep summary counts, for Counts.
func Stuurgroep(m *Messenger) map[string]int { return m.Stuurgroep }

// Announced picks the announcement counts, for Counts.
func Announced(m *Messenger) map[string]int { return m.Announced }

// Invite records an invitation for each recipient.
func (m *Messenger) Invite(_ context.Context, r *storage.Round, pids []string) (rounds.Sent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.PanicInvite {
		panic("notifier exploded")
	}
	if m.Fail["Invite"] {
		return rounds.Sent{}, ErrDown
	}
	m.Batches = append(m.Batches, len(pids))
	for _, pid := range pids {
		m.Invites[r.ID+"/"+pid]++
		m.InviteOrder = append(m.InviteOrder, r.ID+"/"+pid)
	}
	return rounds.Sent{Queued: len(pids)}, nil
}

// Remind records reminder i for each recipient.
func (m *Messenger) Remind(_ context.Context, r *storage.Round, i int, pids []string) (rounds.Sent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail["Remind"] {
		return rounds.Sent{}, ErrDown
	}
	m.Batches = append(m.Batches, len(pids))
	for _, pid := range pids {
		m.Reminds[fmt.Sprintf("%s/%d/%s", r.ID, i, pid)]++
		m.RemindOrder = append(m.RemindOrder, pid)
	}
	return rounds.Sent{Queued: len(pids)}, nil
}

// SendResults records the results for each recipient, failing as told.
func (m *Messenger) SendResults(_ context.Context, r *storage.Round, res *results.Results, pids []string) (rounds.Sent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if res == nil || res.Round.ID != r.ID {
		return rounds.Sent{}, fmt.Errorf("results of round %v sent for round %s", res, r.ID)
	}
	m.Batches = append(m.Batches, len(pids))
	if m.Sent == nil {
		m.Sent = map[string]*results.Results{}
	}
	m.Sent[r.ID] = res
	for i, pid := range pids {
		m.ResultsCalls++
		if m.Fail["SendResults"] || m.ResultsCalls == m.FailResultsAt {
			return rounds.Sent{Queued: i}, ErrDown
		}
		m.Results[r.ID+"/"+pid]++
	}
	return rounds.Sent{Queued: len(pids)}, nil
}

// SendDecision records the decision for each recipient.
func (m *Messenger) SendDecision(_ context.Context, r *storage.Round, pids []string) (rounds.Sent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Batches = append(m.Batches, len(pids))
	for _, pid := range pids {
		m.Decisions[r.ID+"/"+pid]++
	}
	return rounds.Sent{Queued: len(pids)}, nil
}

// Announce records the announcement of a round.
func (m *Messenger) Announce(_ context.Context, r *storage.Round) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Announced[r.ID]++
	return nil
}

// SendStuurgroep records the stuurgroep summary of a round, failing as told.
func (m *Messenger) SendStuurgroep(_ context.Context, r *storage.Round, _ *results.Results) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail["SendStuurgroep"] {
		return ErrDown
	}
	m.Stuurgroep[r.ID]++
	return nil
}

// SendDigest records a digest.
func (m *Messenger) SendDigest(_ context.Context, period string, rep *digest.Report) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Digests = append(m.Digests, Digest{period, rep})
	return nil
}
