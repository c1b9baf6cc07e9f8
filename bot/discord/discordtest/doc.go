// Package discordtest is a fake Discord for tests: the REST API under /api/v9/ and a
// websocket gateway, both speaking the real wire format
// (https://docs.discord.com/developers/reference), so that the unmodified
// github.com/bwmarrin/discordgo v0.29 runs against it:
//
//	s := discordtest.NewServer(t, token)
//	dg, _ := discordgo.New("Bot " + token)
//	dg.Client = &http.Client{Transport: s.Transport()}
//	err := dg.Open()
//	t.Cleanup(func() { dg.Close() }) // after NewServer: runs first, takes discordgo's 1 s
//
// discordgo builds every URL from https://discord.com/api/v9/; Transport sends those
// requests here and refuses any other host. Open asks GET /api/v9/gateway (public,
// not /gateway/bot), which answers ws://127.0.0.1:port/gateway; discordgo dials it
// with "/?v=9&encoding=json" appended through its own Dialer, so no dialer needs
// changing. It identifies with "compress": true and Session.Token ("Bot …") as the
// token; READY and GUILD_CREATE then arrive zlib-compressed, as from Discord.
//
// Tests play guild members with AddMember, Slash, Click, Select, SubmitModal,
// ClickLabel and SelectLabel, which dispatch INTERACTION_CREATE over the gateway, or
// hand over an interaction's JSON with DeliverInteraction; they inspect what the bot
// did with Messages, Responses, Failed, Commands and Requests, and inject the
// platform's failures with CloseDMs, RateLimit, FailNext, FailNextWithHeaders, Drop
// and Disconnect. Interaction callbacks are held to Discord's rules: one per interaction
// (else 400 code 40060), within 3 seconds of the dispatch (else 404 code 10062 and
// the member sees "This interaction failed"), of a type valid for the interaction.
// The gateway is sharded as Discord's (https://docs.discord.com/developers/events/gateway#sharding):
// an IDENTIFY may carry "shard": [shard_id, num_shards]; a guild's events go to the
// sessions of shard (guild_id >> 22) % num_shards and DMs to shard 0 only. IDENTIFYs
// are held to the session start limit (max_concurrency, default 1, per 5 seconds;
// IdentifyLimit), a refused one answered with INVALID_SESSION. Like Discord, the fake
// accepts two sessions on one shard and sends both its events; that, and every
// refused IDENTIFY, is counted in GatewayViolations. Sessions, LiveShards and SentTo
// tell which sessions are live and where an interaction went; Unanswered and
// Repeated list interactions that failed and those that got a second callback.
// Messages, components, embeds and modals are checked against the documented limits
// (content 2000 characters, 10 files, 10 embeds of 6000 characters together, …) and
// refused with 400 "Invalid Form Body" (code 50035) as Discord does; every such
// refusal is counted in Violations. Every method is
// safe for concurrent use.
//
// How discordgo v0.29 reports what the fake answers: an error status comes back as a
// *discordgo.RESTError whose Message.Code is Discord's code (50007 for closed DMs,
// 10003 for an unknown channel); a 429 as a *discordgo.RateLimitError carrying
// RetryAfter when ShouldRetryOnRateLimit is false, while by default discordgo sleeps
// retry_after and retries inside the call; a 502 is retried up to MaxRestRetries
// times.
package discordtest
