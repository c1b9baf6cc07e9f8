package web

import (
	"context"

	"github.com/participatiebot/participatiebot/bot"
)

var _ bot.Forgetter = (*Channel)(nil)

// Forget deletes everything the web chat keeps about a chat (its transcript, state and
// limits), after which its cookie and personal links no longer work. The engine calls
// it when the resident stops or erases their data.
func (c *Channel) Forget(ctx context.Context, chat string) error {
	return c.store.WebForget(ctx, chat)
}
