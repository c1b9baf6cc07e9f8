package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// What the WhatsApp channel (bot/whatsapp) keeps so that every replica knows it: the
// webhook's inbox (a stream that a delivery is stored in before Meta gets its 200),
// each resident's 24-hour window, the messages that wait for a resident outside it,
// the media ids of uploaded charts, and the delivery statuses of a round's messages.
// A chat is named by an opaque key the channel derives from the wa_id with its own
// secret, never by the number.

// Key schema of the WhatsApp channel, beside keys.go's.
func inboxKey(channel string) string                { return "pb:{in:" + channel + "}:s" }
func waWindowKey(chat string) string                { return "pb:wa:win:" + chat }
func waHeldKey(chat string) string                  { return "pb:wa:held:" + chat }
func waToldKey(chat string) string                  { return "pb:wa:told:" + chat }
func waReleasedKey(chat string) string              { return "pb:wa:rel:" + chat }
func waMediaKey(ref string) string                  { return "pb:wa:media:" + ref }
func waMediaLockKey(ref string) string              { return "pb:wa:media:lock:" + ref }
func waSentKey(wamid string) string                 { return "pb:wa:sent:" + wamid }
func waStatusKey(round string) string               { return "pb:wa:st:" + round }
func waSeenStatusField(status string) string        { return "s:" + status }
func waStatusCountField(kind, status string) string { return kind + ":" + status }

// inboxGroup is the consumer group every replica reads the inbox in.
const inboxGroup = "pb"

// InboxItem is one delivery taken from the inbox: its stream id and what was queued.
type InboxItem struct {
	ID   string
	Data []byte
}

// QueueInbox stores items in the channel's inbox, durably (on a cluster confirmed by
// a replica, as a session's step): once it returns nil, the platform may be told the
// delivery arrived.
func (s *Store) QueueInbox(ctx context.Context, channel string, items [][]byte) error {
	if len(items) == 0 {
		return nil
	}
	key := inboxKey(channel)
	err := s.durable.exec(ctx, s.rdb, key, func(p redis.Pipeliner) error {
		for _, it := range items {
			p.XAdd(ctx, &redis.XAddArgs{Stream: key, Values: []any{"d", it}})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue %d %s deliveries: %w", len(items), channel, err)
	}
	return nil
}

// ReadInbox takes up to n items no consumer has taken yet, waiting up to block for
// the first; consumer names the replica. An item is the consumer's until AckInbox,
// or until ClaimInbox gives it to another consumer.
func (s *Store) ReadInbox(ctx context.Context, channel, consumer string, n int, block time.Duration) ([]InboxItem, error) {
	key := inboxKey(channel)
	for tries := 0; ; tries++ {
		res, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: inboxGroup, Consumer: consumer,
			Streams: []string{key, ">"}, Count: int64(n), Block: block}).Result()
		if isNil(err) {
			return nil, nil
		}
		if err != nil && strings.HasPrefix(err.Error(), "NOGROUP") && tries == 0 {
			if err := s.createInboxGroup(ctx, key); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s inbox: %w", channel, err)
		}
		var out []InboxItem
		for _, st := range res {
			out = append(out, inboxItems(st.Messages)...)
		}
		return out, nil
	}
}

func (s *Store) createInboxGroup(ctx context.Context, key string) error {
	err := s.rdb.XGroupCreateMkStream(ctx, key, inboxGroup, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create inbox group: %w", err)
	}
	return nil
}

// ClaimInbox takes over up to n items that another consumer (a replica that died,
// or whose handling failed) took more than idle ago and did not acknowledge.
func (s *Store) ClaimInbox(ctx context.Context, channel, consumer string, idle time.Duration, n int) ([]InboxItem, error) {
	key := inboxKey(channel)
	msgs, _, err := s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: key, Group: inboxGroup, Consumer: consumer,
		MinIdle: idle, Start: "0-0", Count: int64(n)}).Result()
	switch {
	case isNil(err):
		return nil, nil
	case err != nil && strings.HasPrefix(err.Error(), "NOGROUP"):
		return nil, s.createInboxGroup(ctx, key)
	case err != nil:
		return nil, fmt.Errorf("claim %s inbox: %w", channel, err)
	}
	return inboxItems(msgs), nil
}

func inboxItems(msgs []redis.XMessage) []InboxItem {
	out := make([]InboxItem, 0, len(msgs))
	for _, m := range msgs {
		d, _ := m.Values["d"].(string)
		out = append(out, InboxItem{ID: m.ID, Data: []byte(d)})
	}
	return out
}

// AckInbox confirms an item handled and deletes it: the inbox holds only what is
// still to be handled.
func (s *Store) AckInbox(ctx context.Context, channel, id string) error {
	key := inboxKey(channel)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, key, inboxGroup, id)
		p.XDel(ctx, key, id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("ack %s delivery %s: %w", channel, id, err)
	}
	return nil
}

// InboxLen is how many items the inbox holds (queued or taken, not yet acknowledged).
func (s *Store) InboxLen(ctx context.Context, channel string) (int64, error) {
	n, err := s.rdb.XLen(ctx, inboxKey(channel)).Result()
	if err != nil {
		return 0, fmt.Errorf("%s inbox length: %w", channel, err)
	}
	return n, nil
}

// OpenWindow records that chat may be written to freely until until (WhatsApp's
// customer service window). A lost write is repaired by the resident's next message,
// and a window that seems closed costs a template, not a message.
func (s *Store) OpenWindow(ctx context.Context, chat string, until time.Time) error {
	if err := s.rdb.SetArgs(ctx, waWindowKey(chat), "1", redis.SetArgs{ExpireAt: until}).Err(); err != nil {
		return fmt.Errorf("open window: %w", err)
	}
	return nil
}

// WindowOpen reports whether chat's window is open.
func (s *Store) WindowOpen(ctx context.Context, chat string) (bool, error) {
	n, err := s.rdb.Exists(ctx, waWindowKey(chat)).Result()
	if err != nil {
		return false, fmt.Errorf("window: %w", err)
	}
	return n == 1, nil
}

// CloseWindow records chat's window closed (the platform said so).
func (s *Store) CloseWindow(ctx context.Context, chat string) error {
	if err := s.rdb.Del(ctx, waWindowKey(chat)).Err(); err != nil {
		return fmt.Errorf("close window: %w", err)
	}
	return nil
}

// HeldTTL is how long a message waits for a resident outside the window: as long as
// a results message is worth reading.
const HeldTTL = 60 * 24 * time.Hour

// Hold keeps data (a sealed message) for chat until the resident writes again, under
// id: holding the same id twice keeps it once. Messages come back in the order they
// were first held.
func (s *Store) Hold(ctx context.Context, chat, id string, data []byte, now time.Time) error {
	key := waHeldKey(chat)
	value := strconv.FormatInt(now.UnixNano(), 10) + ":" + string(data)
	err := s.durable.exec(ctx, s.rdb, key, func(p redis.Pipeliner) error {
		p.HSetNX(ctx, key, id, value)
		p.Expire(ctx, key, HeldTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("hold message: %w", err)
	}
	return nil
}

// HeldItem is a message held for a chat, since At (unix nanoseconds).
type HeldItem struct {
	ID   string
	At   int64
	Data []byte
}

// Held is every message held for chat, oldest first.
func (s *Store) Held(ctx context.Context, chat string) ([]HeldItem, error) {
	all, err := s.rdb.HGetAll(ctx, waHeldKey(chat)).Result()
	if err != nil {
		return nil, fmt.Errorf("held messages: %w", err)
	}
	type entry struct {
		at int64
		HeldItem
	}
	entries := make([]entry, 0, len(all))
	for id, v := range all {
		at, data, ok := strings.Cut(v, ":")
		n, err := strconv.ParseInt(at, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("held message %s: malformed", id)
		}
		entries = append(entries, entry{n, HeldItem{ID: id, At: n, Data: []byte(data)}})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].at != entries[j].at {
			return entries[i].at < entries[j].at
		}
		return entries[i].ID < entries[j].ID
	})
	out := make([]HeldItem, len(entries))
	for i, e := range entries {
		out[i] = e.HeldItem
	}
	return out, nil
}

// ForgetChat drops all the WhatsApp channel keeps about chat: its window, the
// messages held for it and their marks (an erasure, /vergeetmij).
func (s *Store) ForgetChat(ctx context.Context, chat string) error {
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range []string{waWindowKey(chat), waHeldKey(chat), waToldKey(chat), waReleasedKey(chat)} {
			p.Del(ctx, k)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget chat: %w", err)
	}
	return nil
}

// ChatState is what Send needs to know of a chat, in one round trip.
type ChatState struct {
	Open     bool  // the window is open
	Held     int64 // messages held for the chat
	IsHeld   bool  // the message asked about is one of them (released to be sent)
	Releases bool  // held messages were released lately (MarkReleased) and are on their way
}

// ChatStateOf reads chat's state, and whether message id is held for it.
func (s *Store) ChatStateOf(ctx context.Context, chat, id string) (ChatState, error) {
	var win, n, rel *redis.IntCmd
	var has *redis.BoolCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		win = p.Exists(ctx, waWindowKey(chat))
		n = p.HLen(ctx, waHeldKey(chat))
		has = p.HExists(ctx, waHeldKey(chat), id)
		rel = p.Exists(ctx, waReleasedKey(chat))
		return nil
	})
	if err != nil {
		return ChatState{}, fmt.Errorf("chat state: %w", err)
	}
	return ChatState{Open: win.Val() == 1, Held: n.Val(), IsHeld: has.Val(), Releases: rel.Val() == 1}, nil
}

// MarkReleased records that chat's held messages were queued to be sent, for ttl:
// meanwhile new messages wait behind them; after it, one that never went (its
// sending given up) holds up nothing.
func (s *Store) MarkReleased(ctx context.Context, chat string, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, waReleasedKey(chat), "1", ttl).Err(); err != nil {
		return fmt.Errorf("mark released: %w", err)
	}
	return nil
}

// Unhold drops held message id of chat: it was delivered (or refused for good).
func (s *Store) Unhold(ctx context.Context, chat, id string) error {
	if err := s.rdb.HDel(ctx, waHeldKey(chat), id).Err(); err != nil {
		return fmt.Errorf("unhold message: %w", err)
	}
	return nil
}

// Tell marks that chat is being told that messages wait (a template), and reports
// whether it was not yet: one template until the resident answers, also when a
// results message and its charts are held at once on two replicas. Untell takes the
// mark back when the template could not be sent.
func (s *Store) Tell(ctx context.Context, chat string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, waToldKey(chat), "1", ttl).Result()
	if err != nil {
		return false, fmt.Errorf("mark told: %w", err)
	}
	return ok, nil
}

// Untell takes back Tell's mark.
func (s *Store) Untell(ctx context.Context, chat string) error {
	if err := s.rdb.Del(ctx, waToldKey(chat)).Err(); err != nil {
		return fmt.Errorf("unmark told: %w", err)
	}
	return nil
}

// MediaTTL is how long an uploaded media id is used: Meta keeps uploaded media 30
// days.
const MediaTTL = 29 * 24 * time.Hour

// MediaID is the platform's id of the upload of attachment ref; "" when none is known.
func (s *Store) MediaID(ctx context.Context, ref string) (string, error) {
	id, err := s.rdb.Get(ctx, waMediaKey(ref)).Result()
	if isNil(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("media id of %s: %w", ref, err)
	}
	return id, nil
}

// SetMediaID records the id of the upload of attachment ref.
func (s *Store) SetMediaID(ctx context.Context, ref, id string) error {
	if err := s.rdb.Set(ctx, waMediaKey(ref), id, MediaTTL).Err(); err != nil {
		return fmt.Errorf("record media id of %s: %w", ref, err)
	}
	return nil
}

// ForgetMediaID drops the id of attachment ref (the platform no longer knows it).
func (s *Store) ForgetMediaID(ctx context.Context, ref string) error {
	if err := s.rdb.Del(ctx, waMediaKey(ref)).Err(); err != nil {
		return fmt.Errorf("forget media id of %s: %w", ref, err)
	}
	return nil
}

// LockUpload takes the right to upload attachment ref for ttl, so that replicas
// sending the same chart at once upload it once; false when another holds it.
func (s *Store) LockUpload(ctx context.Context, ref string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, waMediaLockKey(ref), "1", ttl).Result()
	if err != nil {
		return false, fmt.Errorf("lock upload of %s: %w", ref, err)
	}
	return ok, nil
}

// UnlockUpload gives the right back.
func (s *Store) UnlockUpload(ctx context.Context, ref string) error {
	if err := s.rdb.Del(ctx, waMediaLockKey(ref)).Err(); err != nil {
		return fmt.Errorf("unlock upload of %s: %w", ref, err)
	}
	return nil
}

// SentTTL is how long a sent message's round is remembered for its statuses: Meta
// sends them within days.
const SentTTL = 14 * 24 * time.Hour

// The statuses of a sent message may arrive before the send's answer told which
// round the message was (Meta posts "sent" at once): a status is then kept as seen
// ("1") on the message's record, and counted ("2") once the record says its round,
// by whichever of the two scripts comes second. Each status counts once.

// markSent: KEYS[1] the message's record HASH. ARGV[1] round, ARGV[2] kind, ARGV[3]
// ttl s. Records the round and kind, and returns the statuses seen before, now
// counted.
var markSent = newScript("waMarkSent", `
redis.call('HSET', KEYS[1], 'round', ARGV[1], 'kind', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 2) == 's:' and all[i + 1] == '1' then
    redis.call('HSET', KEYS[1], all[i], '2')
    out[#out + 1] = string.sub(all[i], 3)
  end
end
return out`)

// recordStatus: KEYS[1] the message's record HASH. ARGV[1] status, ARGV[2] ttl s.
// Returns {round, kind} when the status is to be counted now, {} when it was seen
// before or the round is not known yet (then kept as seen).
var recordStatus = newScript("waRecordStatus", `
local f = 's:' .. ARGV[1]
if redis.call('HEXISTS', KEYS[1], f) == 1 then return {} end
local round = redis.call('HGET', KEYS[1], 'round')
if not round then
  redis.call('HSET', KEYS[1], f, '1')
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return {}
end
redis.call('HSET', KEYS[1], f, '2')
return {round, redis.call('HGET', KEYS[1], 'kind') or ''}`)

// MarkSent remembers that the platform message wamid was a round's message of kind
// (invitation, results …), so that its statuses count for the round, also those
// that came before.
func (s *Store) MarkSent(ctx context.Context, wamid, round, kind string) error {
	seen, err := markSent.Run(ctx, s.rdb, []string{waSentKey(wamid)}, round, kind, int64(SentTTL/time.Second)).StringSlice()
	if err != nil {
		return fmt.Errorf("mark sent %s: %w", round, err)
	}
	for _, status := range seen {
		if err := s.countStatus(ctx, round, kind, status); err != nil {
			return err
		}
	}
	return nil
}

// RecordStatus counts a status (sent, delivered, read, failed) of the message wamid
// for its round, once however often the platform reports it.
func (s *Store) RecordStatus(ctx context.Context, wamid, status string) error {
	got, err := recordStatus.Run(ctx, s.rdb, []string{waSentKey(wamid)}, status, int64(SentTTL/time.Second)).StringSlice()
	if err != nil {
		return fmt.Errorf("record status: %w", err)
	}
	if len(got) != 2 {
		return nil
	}
	return s.countStatus(ctx, got[0], got[1], status)
}

func (s *Store) countStatus(ctx context.Context, round, kind, status string) error {
	if err := s.rdb.HIncrBy(ctx, waStatusKey(round), waStatusCountField(kind, status), 1).Err(); err != nil {
		return fmt.Errorf("count status: %w", err)
	}
	return nil
}

// DeliveryCounts are a round's WhatsApp messages by kind and status:
// counts["uitslag"]["read"].
type DeliveryCounts map[string]map[string]int64

// Deliveries is what became of a round's WhatsApp messages.
func (s *Store) Deliveries(ctx context.Context, round string) (DeliveryCounts, error) {
	all, err := s.rdb.HGetAll(ctx, waStatusKey(round)).Result()
	if err != nil {
		return nil, fmt.Errorf("deliveries of %s: %w", round, err)
	}
	out := DeliveryCounts{}
	for field, v := range all {
		kind, status, ok := strings.Cut(field, ":")
		n, err := strconv.ParseInt(v, 10, 64)
		if !ok || err != nil {
			return nil, errors.New("deliveries of " + round + ": malformed field " + field)
		}
		if out[kind] == nil {
			out[kind] = map[string]int64{}
		}
		out[kind][status] = n
	}
	return out, nil
}
