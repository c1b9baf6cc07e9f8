package outbox

// Held reports how many chats and messages the running sender of channel keeps in
// memory (0, 0 before Run).
func (o *Outbox) Held(channel string) (chats, items int) {
	o.mu.Lock()
	s := o.senders[channel]
	o.mu.Unlock()
	if s == nil {
		return 0, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.chats), len(s.items)
}
