package discord

import (
	"errors"

	"github.com/participatiebot/participatiebot/bot"
)

var _ bot.Readier = (*Channel)(nil)

// errGatewayDown: interactions arrive over the gateway only, so without it residents'
// taps go unanswered.
var errGatewayDown = errors.New("discord: gateway session not open")

// Ready reports whether the gateway session is open: discordgo marks it ready on
// READY and at every acknowledged heartbeat, and not ready when the connection
// closes (it reconnects by itself).
func (c *Channel) Ready() error {
	c.dg.RLock()
	ok := c.dg.DataReady
	c.dg.RUnlock()
	if !ok {
		return errGatewayDown
	}
	return nil
}
