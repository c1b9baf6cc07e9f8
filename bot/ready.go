package bot

// Readier is implemented by a channel that can say whether it is connected to its
// platform, for the replica's /readyz: a replica whose channel is down (the Discord
// gateway not open, Telegram's getUpdates failing) should not be sent the web chat's
// and the dashboard's traffic until it is back. A channel that does not implement it
// is taken as ready.
type Readier interface {
	// Ready returns nil when the channel is connected, else what is wrong, worded
	// for an operator and free of tokens.
	Ready() error
}
