package bot

import (
	"context"
	"time"

	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
)

// Store is what the engine keeps in Redis, in the groups below, and what the rounds
// service its organiser commands act through keeps there; *storage.Store implements
// it.
type Store interface {
	Participants
	Answers
	RoundReader
	UpdateLog
	Erasures
	Blobs
	rounds.Store
}

// Participants are the residents' records: consent, profile, the round they are in.
type Participants interface {
	Participant(ctx context.Context, pid string) (*storage.Participant, error)
	ParticipantsOf(ctx context.Context, pids []string) ([]*storage.Participant, error)
	SaveConsent(ctx context.Context, p *storage.Participant) error
	SetProfile(ctx context.Context, pid, field, value string) error
	Withdraw(ctx context.Context, pid string, at time.Time) error
	Reactivate(ctx context.Context, pid, chatID string) error
	SetCurrentRound(ctx context.Context, pid, rid string) error
	CurrentRound(ctx context.Context, pid string) (string, error)
	Panel
}

// Panel are the personal invitation codes of a trajectory's lottery.
type Panel interface {
	PanelCodeOf(ctx context.Context, hash string) (storage.PanelCode, error)
	RedeemPanelCode(ctx context.Context, hash, pid string, now time.Time) (storage.PanelCode, error)
	JoinPanel(ctx context.Context, pid, traject, hash, kern, leeftijd string) error
}

// Answers are a participant's answers and place in a round, and the round's tallies.
type Answers interface {
	RecordAnswer(ctx context.Context, w storage.AnswerWrite) (storage.AnswerOutcome, error)
	Answers(ctx context.Context, rid, pid string) (map[string]string, error)
	AnswersOf(ctx context.Context, rid string, pids []string) ([]map[string]string, error)
	Complete(ctx context.Context, rid, pid string) (bool, error)
	Completed(ctx context.Context, rid, pid string) (bool, error)
	InRound(ctx context.Context, rid string, pids []string) (started, completed []bool, err error)
	Session(ctx context.Context, rid, pid string) (*storage.Session, error)
	SaveSession(ctx context.Context, rid, pid string, ss *storage.Session, keep time.Duration) error
	ForgetInRound(ctx context.Context, rid, pid string, how storage.RoundForget) (bool, error)
	Tallies(ctx context.Context, rid string) (map[string]int64, error)
}

// RoundReader finds rounds; the rounds service changes them.
type RoundReader interface {
	Round(ctx context.Context, rid string) (*storage.Round, error)
	RoundByCode(ctx context.Context, code string) (*storage.Round, error)
	Rounds(ctx context.Context) ([]*storage.Round, error)
}

// UpdateLog remembers the inbound updates handled, failed and set aside, and orders
// the handling of one participant's updates across replicas.
type UpdateLog interface {
	LockParticipant(ctx context.Context, pid, token string, ttl time.Duration) (bool, error)
	UnlockParticipant(ctx context.Context, pid, token string) error
	UpdateSeen(ctx context.Context, channel, updateID string) (bool, error)
	MarkUpdate(ctx context.Context, channel, updateID string, keep time.Duration) error
	InboundFailed(ctx context.Context, channel, updateID string) (int, error)
	SetAside(ctx context.Context, d storage.InboundDead) error
}

// Erasures are the /vergeetmij requests under way, finished after a crash.
type Erasures interface {
	BeginErasure(ctx context.Context, e storage.Erasure) error
	EndErasure(ctx context.Context, pid string) error
	PendingErasures(ctx context.Context) ([]storage.Erasure, error)
	DropMessages(ctx context.Context, channel string, marks ...string) (int, error)
}

// Blobs are shared attachments (charts, the digest) by reference.
type Blobs interface {
	PutBlob(ctx context.Context, data []byte) (string, error)
	Blob(ctx context.Context, ref string) ([]byte, error)
}
