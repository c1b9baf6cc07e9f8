// Package rounds is the round lifecycle as one service (Service): a round's id and
// slot, scheduling and opening it, its invitations and reminders, closing it and
// ending its sessions, publishing its results to the residents who took part and to
// the stuurgroep, its decision (terugkoppeling), its results and exports, the
// stuurgroep digest, the purge at the end of its bewaartermijn, and the list of
// rounds with their counts and next step. The scheduler triggers it on time
// (Advance); the bot's organiser commands, the dashboard and the CLI act and read
// through it. Broadcasts go to their recipients in batches through a Messenger (the
// bot engine), each message under a dedupe key, so a broadcast cut short at any
// batch is finished by the next pass without doubling anything.
//
// It declares the storage it uses (Store) and imports storage, surveys, results and
// digest, never a channel, the bot or the scheduler.
package rounds
