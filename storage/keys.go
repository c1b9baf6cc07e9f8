package storage

import "strconv"

// Key schema. Every key starts with "pb:". Keys of one round share the hash tag
// {r:<round>} so the round's multi-key scripts run on one Redis Cluster slot; the
// outbox of a channel shares {ob:<channel>}. Participant ids are pseudonyms (a keyed
// hash of platform and user id), never raw platform ids.

// participantKey is a HASH: channel, chat, consent_version, consent_at, kern, leeftijd,
// active ("1"/"0"), created_at.
func participantKey(pid string) string { return "pb:p:" + pid }

// participantLockKey is a STRING holding the token of the replica that handles one of
// the participant's updates right now (expires; see plock.go).
func participantLockKey(pid string) string { return "pb:lock:p:" + pid }

// activeKey is a SET of the pseudonyms of participants who consented and did not stop.
func activeKey() string { return "pb:participants" }

// seenKey is a STRING marking an inbound platform update as handled; expires after
// the caller's keep (bot.Redelivery, 48 h).
func seenKey(channel, updateID string) string { return "pb:seen:" + channel + ":" + updateID }

// roundsKey is a ZSET of every round id ever created, scored by its opening time
// (unix seconds): the archive, kept without expiry (a few bytes a round), listed only
// on request (ArchivedRounds: `rounds list --archief`); the live rounds are in
// liveRoundsKey.
func roundsKey() string { return "pb:rounds" }

// roundCodeKey is a STRING mapping a round's short code (used in button data) to its id.
func roundCodeKey(code string) string { return "pb:rc:" + code }

func roundTag(rid string) string { return "pb:{r:" + rid + "}" }

// roundKey is a HASH: survey, state, code, slot, opens_at, closes_at, opened_at,
// closed_at, published_at, decided_at, purged_at, sessions_ended, invites_done,
// reminder:<i> (unix seconds); decision, decision_set_at. A round created with
// buckets also has bk: its number of bucketKey hashes; one created since joint-only
// tallies has tj ("1"), and one whose first answer was recorded since derived
// answered counters tn ("1", record.go).
func roundKey(rid string) string { return roundTag(rid) + ":meta" }

// talliesKey is a HASH of counters, field names from surveys.TallyFields; a round
// with tj keeps of the profiled counters only their kern × leeftijd cells
// (":j:<kern>:<leeftijd>"), which Tallies adds up into the others.
func talliesKey(rid string) string { return roundTag(rid) + ":t" }

// answersKey is a HASH of one participant's answers in a round created before buckets
// (no "bk" in its meta): <field> -> JSON answer (or, recorded since, the compact
// answer), "t:<field>" -> the tally fields that answer added, newline separated,
// "t:@respondent" -> the respondent counters of their first answer. Rounds with
// buckets keep a participant's answers in one record of bucketKey instead. Kept for
// the round's bewaartermijn (PurgeRound).
func answersKey(rid, pid string) string { return roundTag(rid) + ":a:" + pid }

// sessionKey is a HASH with a participant's place in the round's conversation: deleted
// when the round closes (EndSessions); expires storage.SessionGrace after the round's
// planned close at the latest.
func sessionKey(rid, pid string) string { return roundTag(rid) + ":s:" + pid }

// membersKey is a SET of participants who answered at least one question in a round
// created before buckets; in a round with buckets they are the bucket records with
// a profile (Members).
func membersKey(rid string) string { return roundTag(rid) + ":p" }

// completedKey is a SET of participants who finished a round created before buckets;
// in a round with buckets the record's header says it (Completed).
func completedKey(rid string) string { return roundTag(rid) + ":done" }

// openTextKey is a HASH of the open answers to one question: participant -> text.
func openTextKey(rid, qid string) string { return roundTag(rid) + ":open:" + qid }

func outboxTag(channel string) string { return "pb:{ob:" + channel + "}" }

// outboxQueueKey is a ZSET of the ids of queued replies (bot.Reply) scored by the
// time (unix ms) they are due; a claimed message is pushed a lease ahead (and its
// sender's heartbeat keeps pushing it), so a crashed sender's messages come back once
// the lease runs out. Bulk messages wait in outboxBulkKey.
func outboxQueueKey(channel string) string { return outboxTag(channel) + ":q" }

// outboxMsgsKey is a HASH of queued messages: <id> -> payload, "n:<id>" -> attempts,
// "o:<id>" -> owner token of the Store that holds its lease (only while claimed).
func outboxMsgsKey(channel string) string { return outboxTag(channel) + ":m" }

// outboxSeqKey is a STRING counter giving message ids in enqueue order.
func outboxSeqKey(channel string) string { return outboxTag(channel) + ":seq" }

// outboxDedupeKey is a STRING marking a dedupe key as enqueued once; the key is the
// hex SHA-256 (first 16 bytes) of the caller's dedupe key, which may name a pseudonym.
// It expires after what it protects: a reply to an inbound update as long as the
// platform may deliver that update again (bot.Redelivery, 48 h: Telegram keeps
// an unconfirmed update 24 h); a broadcast message as long as the broadcast may be
// resumed (the caller's Post.DedupeFor, at most until the round's retention ends; by
// default DedupeTTL, a week).
func outboxDedupeKey(channel, key string) string { return outboxTag(channel) + ":d:" + key }

// outboxDeadKey is a ZSET of the ids of dead letters (messages given up on), scored by
// the time (unix ms) they were given up on; trimmed by age and number (DeadKeep).
func outboxDeadKey(channel string) string { return outboxTag(channel) + ":dead" }

// The platform limits every replica shares (ratelimit.go). A channel's keys share the
// hash tag {rl:<channel>}, so that one script checks the pause, the chat and the
// channel on one Redis Cluster slot; a tag apart from the outbox's, so that on a
// cluster the limit and the queue may sit on different nodes.
func rateTag(channel string) string { return "pb:{rl:" + channel + "}" }

// rateGlobalKey is a STRING: when (Redis time, unix µs) the channel's next message is
// due at its shared rate, the GCRA's theoretical arrival time; expires once passed.
func rateGlobalKey(channel string) string { return rateTag(channel) + ":g" }

// rateChatKey is a STRING like rateGlobalKey for one chat, named by the first 8 bytes
// (hex) of the SHA-256 of the chat id, so no platform id is in a key name; expires
// once passed (a second or so after the chat's last message).
func rateChatKey(channel, chatHash string) string { return rateTag(channel) + ":c:" + chatHash }

// ratePauseKey is a STRING: until when (Redis time, unix µs) the platform told the
// channel to send nothing (a 429's retry_after); expires then.
func ratePauseKey(channel string) string { return rateTag(channel) + ":pause" }

// webTranscriptKey is a LIST of the messages of one web chat (JSON), oldest first,
// named by the chat's keyed hash h (see the web chat block below); a message's id is
// its index plus the state's "base", so ids stay stable when the oldest are trimmed.
func webTranscriptKey(h string) string { return webChatTag(h) + ":t" }

// auditKey is a LIST of organiser actions (JSON: time, who, action), newest first,
// as earlier versions kept them; now only read by MigrateAuditList (see auditLogKey).
func auditKey() string { return "pb:audit" }

// leaseKey is a HASH (owner, token) naming the replica that holds a lease (expires);
// leaseTokenKey is the lease's fencing token counter (a STRING that never expires), in
// the same slot. Names are fixed by the code: "scheduler", "telegram:poll", ….
func leaseKey(name string) string      { return "pb:lease:{" + name + "}" }
func leaseTokenKey(name string) string { return "pb:lease:{" + name + "}:token" }

// EventsChannel is the pub/sub channel on which CLI actions wake a running serve.
const EventsChannel = "pb:events"

// blobKey is a STRING holding an attachment (a chart PNG) that many queued messages
// share, named by the SHA-256 of its content (expires).
func blobKey(ref string) string { return "pb:blob:" + ref }

// routeBucketKey is a platform's rate limit bucket (buckets.go): its own slot, as
// buckets of different DMs are independent.
func routeBucketKey(name string) string { return "pb:{rlb:" + name + "}" }

// digestKey is a STRING marking the stuurgroep digest of one period as queued.
func digestKey(period string) string { return "pb:digest:" + period }

// firstStartKey is a STRING: when serve first ran on this store (unix seconds; 0
// for a store that had rounds before it was recorded). No digest goes out for a
// period that ended before it.
func firstStartKey() string { return "pb:firststart" }

// Inbound updates that could not be handled (bot.Engine's inbound failure policy). They
// share the hash tag {in}, so that setting an update aside is one script on one slot.

// inboundAttemptsKey is a STRING counting the failed attempts at one inbound update (expires).
func inboundAttemptsKey(channel, updateID string) string {
	return "pb:{in}:n:" + channel + ":" + updateID
}

// inboundDeadKey is a ZSET of the inbound updates set aside, "<channel>:<update id>"
// scored by the time (unix ms) they were set aside.
func inboundDeadKey() string { return "pb:{in}:dead" }

// inboundDeadEntriesKey is a HASH "<channel>:<update id>" -> JSON InboundDead, the
// entries that inboundDeadKey orders.
func inboundDeadEntriesKey() string { return "pb:{in}:dead:e" }

// --- Dashboard audit log, security log, login limits and logouts (issue 9) ---
// auditKey above is the LIST of earlier versions; MigrateAuditList empties it into
// auditLogKey.

// auditLogKey is a ZSET of organiser actions scored by time (unix ms); a member is
// "<zero-padded id>:<JSON: id, time, who, action>". Trimmed by age, never by count.
func auditLogKey() string { return "pb:{audit}:log" }

// auditSeqKey is a STRING counter giving audit entries their ids.
func auditSeqKey() string { return "pb:{audit}:seq" }

func securityTag(day string) string { return "pb:{sec:" + day + "}" }

// securityNamesKey is a HASH of one day's failed dashboard logins: user name (or
// UnknownName) -> count (expires).
func securityNamesKey(day string) string { return securityTag(day) + ":names" }

// securityAddrsKey is a HASH of one day's failed dashboard logins: remote address
// (at most SecurityMaxAddrs, then OtherAddrs) -> count (expires).
func securityAddrsKey(day string) string { return securityTag(day) + ":addrs" }

// securityNameAddrsKey is a SET of the addresses (as counted in securityAddrsKey)
// that one name's failed logins came from in a day (expires).
func securityNameAddrsKey(day, name string) string { return securityTag(day) + ":na:" + name }

// loginTryKey is a STRING counting dashboard login tries of one subject (scope
// "addr": remote address; "name": keyed hash of the name typed) in the fixed window
// starting at start (unix seconds, decimal) (expires).
func loginTryKey(scope, subject, start string) string {
	return "pb:login:" + scope + ":" + subject + ":" + start
}

// revokedSessionKey is a STRING marking a dashboard session signature as logged out,
// until the session would have expired (expires).
func revokedSessionKey(sig string) string { return "pb:dash:revoked:" + sig }

// Erasure (a resident's /vergeetmij).

// erasuresKey is a HASH of the erasures begun and not yet finished: pseudonym -> JSON
// (channel, sealed chat). An erasure is resumed from here after a crash; the entry is
// the last thing deleted.
func erasuresKey() string { return "pb:erasures" }

// Web chat: sessions, personal links and bounded visitors. A chat's keys are named by
// h, the keyed hash of its random web id (Store.webChat), never the id itself, and
// share the hash tag {h}, so a chat's scripts run on one Cluster slot.

func webChatTag(h string) string { return "pb:w:{" + h + "}" }

// webStateKey is a HASH: created (unix seconds), base (messages trimmed off the
// transcript's front), bytes (size of the kept messages), keep ("1" while the resident
// takes part: the long retention). Cookies and links of the chat hold only while it
// exists.
func webStateKey(h string) string { return webChatTag(h) + ":s" }

// webChatRateKey is a STRING counting the chat's posts in the current window (expires).
func webChatRateKey(h string) string { return webChatTag(h) + ":r" }

// webAddressRateKey is a STRING counting posts from one remote address, named by its
// keyed hash, in the current window (expires).
func webAddressRateKey(h string) string { return "pb:w:a:" + h }

// legacyWebTranscriptPattern matches the transcripts earlier versions kept under the
// raw web id (LIST), only to delete them (Store.WebDropLegacy).
const legacyWebTranscriptPattern = "pb:web:{*}:t"

// --- Outbox: priorities, leases and dead letters (issue 10, broadcast at the limit) ---

// outboxBulkKey is a ZSET of the ids of queued bulk messages (bot.Bulk: invitations,
// reminders, results, decisions, digests) scored by the time (unix ms) they are due;
// claimed after every due reply. Leases work as in outboxQueueKey.
func outboxBulkKey(channel string) string { return outboxTag(channel) + ":qb" }

// outboxDeadMsgsKey is a HASH of the dead letters that outboxDeadKey orders: <id> ->
// payload, "r:<id>" -> reason, "n:<id>" -> attempts, "b:<id>" -> "1" when it was bulk.
// An entry goes when its id is trimmed from outboxDeadKey or put back in the queue.
func outboxDeadMsgsKey(channel string) string { return outboxTag(channel) + ":dead:m" }

// outboxDeadChannelsKey is a SET of the names of channels that have had dead letters,
// for `participatiebot outbox dead`; kept for good (a handful of names).
func outboxDeadChannelsKey() string { return "pb:ob:dead:channels" }

// outboxSkippedKey is a STRING counting the messages of a channel that were not sent
// because they were no longer true when their turn came (a prompt already answered,
// an invitation to a round already started); kept for good.
func outboxSkippedKey(channel string) string { return outboxTag(channel) + ":skipped" }

// --- The compact answer store (issue 10, point 2: answers) ---
// A round created since holds "bk" in its meta: the number of its buckets, a power of
// two fixed at creation. The record format and the dictionary are described in
// record.go.

// bucketKey is a HASH of the answers of the participants whose pseudonym hashes to
// bucket i of the round (FNV-1a mod bk): participant -> record (header, then the
// stored answers by field index). About 32 to 64 participants each, so that it stays
// a listpack. Kept for the round's bewaartermijn (PurgeRound deletes it).
func bucketKey(rid string, i int) string { return roundTag(rid) + ":b:" + strconv.Itoa(i) }

// dictKey is a HASH numbering, append-only, what the round's records refer to:
// "fi:<field>" <-> "fn:<i>" answer fields, "vi:<oid>" <-> "vn:<i>" option ids,
// "pi:<kern>:<leeftijd>" <-> "pn:<i>" profiles, and "f#", "v#", "p#" the counts;
// "open" is the round's mark while it is open (openMark). It names no participant. Kept with the records (PurgeRound deletes it last).
func dictKey(rid string) string { return roundTag(rid) + ":x" }

// --- Round lifecycle: the live rounds (issue 10, rounds) ---

// liveRoundsKey is a ZSET of the ids of the rounds not yet purged, scored by their
// opening time (unix seconds): what Rounds lists. A round enters at CreateRound and
// leaves at RetireRound, after the end of its bewaartermijn, so the list stays as
// long as the rounds within their bewaartermijn, not every round ever held
// (roundsKey keeps those). No expiry.
func liveRoundsKey() string { return "pb:rounds:live" }

// liveRoundsBuiltKey is a STRING ("1") marking liveRoundsKey as filled from the
// archive (a store written before the live index existed is indexed once, by the
// first Rounds). No expiry.
func liveRoundsBuiltKey() string { return "pb:rounds:live:built" }

// panelCodeKey is a HASH of one personal invitation code of a lottery (keyed by the
// code's HMAC, never the code): t the trajectory, s the stratum ("<kern>|<leeftijd>"),
// exp its expiry (unix seconds), and pid the participant who joined with it. It
// expires a while after the code does (PanelCodeKeep). The address the letter went
// to is not kept anywhere.
func panelCodeKey(hash string) string { return "pb:pc:" + hash }

func panelTag(traject string) string { return "pb:{pn:" + traject + "}" }

// panelInvitedKey is a HASH of a trajectory's panel: stratum -> letters sent, over
// every draw.
func panelInvitedKey(traject string) string { return panelTag(traject) + ":inv" }

// panelDrawsKey is a HASH of a trajectory's draws: draw id -> its audit record (JSON).
func panelDrawsKey(traject string) string { return panelTag(traject) + ":draws" }
