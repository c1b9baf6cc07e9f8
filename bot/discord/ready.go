package discord

import (
	"errors"
	"fmt"
	"sync"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/bot"
)

var _ bot.Readier = (*Channel)(nil)

var errNotRunning = errors.New("discord: not running")

// liveShards are the gateway sessions of the shards a replica holds.
type liveShards struct {
	mu   sync.Mutex
	run  bool
	byID map[int]*discordgo.Session
}

func (l *liveShards) running(on bool) {
	l.mu.Lock()
	l.run = on
	l.mu.Unlock()
}

func (l *liveShards) add(i int, dg *discordgo.Session) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byID == nil {
		l.byID = map[int]*discordgo.Session{}
	}
	l.byID[i] = dg
}

func (l *liveShards) remove(i int) {
	l.mu.Lock()
	delete(l.byID, i)
	l.mu.Unlock()
}

// Ready reports whether the channel serves: it runs (sending over REST works on every
// replica), and the gateway session of every shard it holds is open (discordgo marks
// it ready on READY and at every acknowledged heartbeat, and not ready when the
// connection closes), since interactions of those shards arrive there only. A replica
// that holds no shard is ready: another one holds them.
func (c *Channel) Ready() error {
	c.live.mu.Lock()
	defer c.live.mu.Unlock()
	if !c.live.run {
		return errNotRunning
	}
	for i, dg := range c.live.byID {
		dg.RLock()
		ok := dg.DataReady
		dg.RUnlock()
		if !ok {
			return fmt.Errorf("discord: gateway session of shard %d not open", i)
		}
	}
	return nil
}
