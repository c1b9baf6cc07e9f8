// Package bot is the platform-neutral heart of participatiebot: the neutral message
// model (Event in, Message out), the Channel contract and the conversation Engine,
// which queues every message it sends through a Poster: the outbox (bot/outbox).
//
// Data flows one way: a channel turns a platform update into an Event; the Engine
// records what it means in storage (one atomic step per answer) and queues replies in
// the outbox; the outbox sends them through the channel within the platform's limits.
// The scheduler queues invitations, reminders and results through the same Engine.
//
// Adding a channel (WhatsApp, Matrix, …):
//
//  1. A new package bot/<name> with a Channel type and `var _ bot.Channel = (*Channel)(nil)`.
//  2. Run: receive updates (poll or webhook), map each to a bot.Event with a stable
//     UpdateID, hand it to the Handler, and confirm it to the platform only after the
//     Handler returned nil (the Engine handles a repeated UpdateID once). The Handler
//     may be called concurrently, also for one participant and from several replicas
//     (webhooks arrive on any of them): the Engine orders one participant's updates
//     under a lock in Redis (lock.go), so a channel needs no lock of its own. An error
//     means "offer it again later" (the participant's lock stayed busy, Redis is
//     away); a channel without redelivery asks the resident to try again.
//  3. Send: render Message (text, button rows, edit of an earlier message, image,
//     document) as platform calls; classify failures as bot.ErrRecipientGone,
//     bot.ErrPermanent or *bot.RateLimitedError, everything else is temporary. Retries
//     and backoff belong to the Outbox, never to the channel.
//  4. Limits: the platform's documented rate limits and the longest button data.
//     Optionally Ready (bot.Readier), for /readyz: whether it is connected now; and
//     Event.At, when the platform dates its updates, for the inbound lag metric.
//  5. One explicit line in cmd/participatiebot/serve.go.
//  6. Table tests against a local fake of the platform speaking its real wire format
//     (see bot/telegram/telegramtest), including 401, 403, 429 with retry_after and a
//     check that no token leaks into errors.
package bot
