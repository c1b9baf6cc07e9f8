package web

import (
	"errors"

	"github.com/participatiebot/participatiebot/bot"
)

var _ bot.Readier = (*Channel)(nil)

// errNotRunning: the web chat takes posts only while Run runs (it holds the engine).
var errNotRunning = errors.New("web chat: not running")

// Ready reports whether the web chat takes posts: it has no platform to lose, so
// it is ready whenever it runs.
func (c *Channel) Ready() error {
	if c.handler.Load() == nil {
		return errNotRunning
	}
	return nil
}
