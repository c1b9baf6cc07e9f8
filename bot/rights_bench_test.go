package bot_test

import (
	"fmt"
	"testing"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// BenchmarkEraseAcross100Rounds: /vergeetmij for a resident who answered in 100 open
// rounds (the cost grows with the rounds the service has, not with its residents).
func BenchmarkEraseAcross100Rounds(b *testing.B) {
	h := engNew(b)
	const rounds = 100
	for i := range rounds {
		h.open("peiling", fmt.Sprintf("r-%03d", i))
	}
	raw := surveys.EncodeAnswer(surveys.Question{ID: "goed", Type: surveys.Open}, surveys.Answer{Text: "Meer bankjes langs de Vecht"})
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		pid := fmt.Sprintf("p%031d", n)
		if err := h.store.SaveConsent(h.ctx, &storage.Participant{ID: pid, Channel: engChannelName, ChatID: "c",
			ConsentVersion: "v", ConsentAt: h.now}); err != nil {
			b.Fatal(err)
		}
		for i := range rounds {
			if _, err := h.store.RecordAnswer(h.ctx, storage.AnswerWrite{Round: fmt.Sprintf("r-%03d", i), Participant: pid,
				Field: "goed", Value: raw}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if err := h.eng.Erase(h.ctx, pid); err != nil {
			b.Fatal(err)
		}
	}
}
