package telegram

import (
	"fmt"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

var _ bot.Readier = (*Channel)(nil)

// pollState is how the last getUpdates went, for Ready. New checked the token with
// getMe, so a channel is ready until a poll fails.
type pollState struct {
	mu    sync.Mutex
	err   error     // the last poll's failure, redacted; nil after a success
	since time.Time // when the polls began to fail
}

func (p *pollState) succeeded() {
	p.mu.Lock()
	p.err = nil
	p.mu.Unlock()
}

func (p *pollState) failed(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.since = time.Now()
	}
	p.err = err
	p.mu.Unlock()
}

// Ready reports whether the last getUpdates succeeded: while polls fail (Telegram
// or the local Bot API server unreachable, the token revoked) no resident's message
// reaches the bot.
func (c *Channel) Ready() error {
	c.polls.mu.Lock()
	defer c.polls.mu.Unlock()
	if c.polls.err != nil {
		return fmt.Errorf("telegram: getUpdates failing since %s: %w", c.polls.since.Format(time.RFC3339), c.polls.err)
	}
	return nil
}
