package storage

// Key schema. Every key starts with "pb:". Keys of one round share the hash tag
// {r:<round>} so the round's multi-key scripts run on one Redis Cluster slot; the
// outbox of a channel shares {ob:<channel>}. Participant ids are pseudonyms (a keyed
// hash of platform and user id), never raw platform ids.

// participantKey is a HASH: channel, chat, consent_version, consent_at, kern, leeftijd,
// active ("1"/"0"), created_at.
func participantKey(pid string) string { return "pb:p:" + pid }

// activeKey is a SET of the pseudonyms of participants who consented and did not stop.
func activeKey() string { return "pb:participants" }

// seenKey is a STRING marking an inbound platform update as handled (expires).
func seenKey(channel, updateID string) string { return "pb:seen:" + channel + ":" + updateID }

// roundsKey is a ZSET of round ids scored by their opening time (unix seconds).
func roundsKey() string { return "pb:rounds" }

// roundCodeKey is a STRING mapping a round's short code (used in button data) to its id.
func roundCodeKey(code string) string { return "pb:rc:" + code }

func roundTag(rid string) string { return "pb:{r:" + rid + "}" }

// roundKey is a HASH: survey, state, code, slot, opens_at, closes_at, opened_at,
// closed_at, published_at, decided_at, reminder:<i> (unix seconds).
func roundKey(rid string) string { return roundTag(rid) + ":meta" }

// talliesKey is a HASH of counters, field names from surveys.TallyFields.
func talliesKey(rid string) string { return roundTag(rid) + ":t" }

// answersKey is a HASH of one participant's answers in a round: <field> -> JSON answer,
// "t:<field>" -> the tally fields that answer added, newline separated.
func answersKey(rid, pid string) string { return roundTag(rid) + ":a:" + pid }

// sessionKey is a HASH with a participant's place in the round's conversation.
func sessionKey(rid, pid string) string { return roundTag(rid) + ":s:" + pid }

// membersKey is a SET of participants who answered at least one question in the round.
func membersKey(rid string) string { return roundTag(rid) + ":p" }

// completedKey is a SET of participants who finished the round.
func completedKey(rid string) string { return roundTag(rid) + ":done" }

// openTextKey is a HASH of the open answers to one question: participant -> text.
func openTextKey(rid, qid string) string { return roundTag(rid) + ":open:" + qid }

func outboxTag(channel string) string { return "pb:{ob:" + channel + "}" }

// outboxQueueKey is a ZSET of message ids scored by the time (unix ms) they are due;
// a claimed message is pushed a lease ahead, so a crashed sender's messages come back.
func outboxQueueKey(channel string) string { return outboxTag(channel) + ":q" }

// outboxMsgsKey is a HASH of queued messages: <id> -> payload, "n:<id>" -> attempts.
func outboxMsgsKey(channel string) string { return outboxTag(channel) + ":m" }

// outboxSeqKey is a STRING counter giving message ids in enqueue order.
func outboxSeqKey(channel string) string { return outboxTag(channel) + ":seq" }

// outboxDedupeKey is a STRING marking a dedupe key as enqueued once (expires).
func outboxDedupeKey(channel, key string) string { return outboxTag(channel) + ":d:" + key }

// outboxDeadKey is a ZSET of message ids given up on, scored by time (unix ms).
func outboxDeadKey(channel string) string { return outboxTag(channel) + ":dead" }

// webTranscriptKey is a LIST of the messages of one web chat (JSON), oldest first; a
// message's id is its index, so an edit is an LSET.
func webTranscriptKey(chat string) string { return "pb:web:{" + chat + "}:t" }

// auditKey is a LIST of organiser actions (JSON: time, who, action), newest first.
func auditKey() string { return "pb:audit" }

// leaderKey is a STRING holding the id of the replica that runs the scheduler (expires).
func leaderKey() string { return "pb:scheduler:leader" }

// EventsChannel is the pub/sub channel on which CLI actions wake a running serve.
const EventsChannel = "pb:events"

// blobKey is a STRING holding an attachment (a chart PNG) that many queued messages
// share, named by the SHA-256 of its content (expires).
func blobKey(ref string) string { return "pb:blob:" + ref }

// digestKey is a STRING marking the stuurgroep digest of one period as queued.
func digestKey(period string) string { return "pb:digest:" + period }
