// Package rounds is the round lifecycle as the rest of the service sees it: a round's
// id and slot, opening and closing it by hand, its decision (terugkoppeling), its
// results and exports, its retention, and the list of rounds with their counts. The
// scheduler triggers the transitions on time; the bot, the dashboard and the CLI act
// through here. It imports storage and surveys, never a channel or the scheduler.
package rounds
