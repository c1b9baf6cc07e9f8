package bot

import "time"

// The outcomes of an inbound update, as Metrics is told them.
const (
	InboundHandled   = "handled"   // handled now
	InboundDuplicate = "duplicate" // handled before (the platform delivered it again): nothing done
	InboundSetAside  = "set_aside" // could not be handled: set aside and confirmed
	InboundFailed    = "failed"    // not handled: the channel offers it again
)

// Metrics is told what the engine does, for /metrics (EngineConfig.Metrics; nil
// tells nothing). It is called while an update is handled, so it must be quick, and
// it gets the channel's name, never a participant or a chat.
type Metrics interface {
	// Inbound is told the outcome of one inbound update and, when the platform says
	// when the update was made (Event.At), its age at that moment; else age is 0.
	Inbound(channel, outcome string, age time.Duration)
	// Answer is told of every answer stored: a first answer to a question, or
	// (changed) one that replaced an earlier answer. The same answer again is not
	// stored, so not told.
	Answer(channel string, changed bool)
}

// observeInbound tells Metrics how an update went: set aside unless handle says
// otherwise, failed whenever an error goes back to the channel.
func (e *Engine) observeInbound(ev Event, outcome string, err error) {
	if e.cfg.Metrics == nil {
		return
	}
	if err != nil {
		outcome = InboundFailed
	}
	var age time.Duration
	if !ev.At.IsZero() && outcome == InboundHandled {
		age = max(e.cfg.Now().Sub(ev.At), 0)
	}
	e.cfg.Metrics.Inbound(ev.Channel, outcome, age)
}
