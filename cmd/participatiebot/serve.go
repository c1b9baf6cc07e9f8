package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/discord"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/web"
	"github.com/participatiebot/participatiebot/bot/whatsapp"
	"github.com/participatiebot/participatiebot/dashboard"
	"github.com/participatiebot/participatiebot/internal/metrics"
	"github.com/participatiebot/participatiebot/panel"
	"github.com/participatiebot/participatiebot/public"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/scheduler"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// serve wires config → logger → Redis → channels → engine → scheduler and runs them
// until ctx ends.
func serve(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	pos, err := parseArgs(flag.NewFlagSet("serve", flag.ContinueOnError), "serve", args, stdout)
	if err != nil {
		return err
	}
	if err := noArgs("serve", pos); err != nil {
		return err
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	// before anything is opened or started: one serve per DATA_DIR (also with
	// REDIS_URL, the DATA_DIR holds the pseudonym key)
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.Close()
	// every line says which replica wrote it: replicas log to one place
	log := newLogger(cfg.LogLevel, stderr).With("replica", cfg.ReplicaID)
	keySource, err := cfg.loadPseudonymKey(true)
	if err != nil {
		return err
	}
	log.Info("pseudonym key loaded", "from", keySource)
	if cfg.RedisURL == "" {
		log.Info("starting the embedded store (REDIS_URL is not set): redis-server in " +
			filepath.Join(cfg.DataDir, "redis") + " when installed, else in memory …")
	} else {
		log.Info("connecting to redis …", "url", redactURL(cfg.RedisURL))
	}
	store, err := openStore(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer store.Close()
	// before anything creates a round (the demo rounds): a store without rounds is new
	firstStart, err := store.FirstStart(ctx, time.Now())
	if err != nil {
		return err
	}
	log.Info("loading surveys from " + cfg.SurveysDir + " and " + cfg.uploadDir() + " …")
	list, err := loadSurveys(cfg)
	if err != nil {
		return fmt.Errorf("load surveys from %s and %s:\n%w", cfg.SurveysDir, cfg.uploadDir(), err)
	}
	for _, sv := range list {
		for _, w := range sv.Warnings { // what validate warns about: the survey is active all the same
			log.Warn("survey warning", "survey", sv.ID, "at", fmt.Sprintf("%s:%d:%d", filepath.Base(w.File), w.Line, w.Col), "warning", w.Msg)
		}
	}
	catalog := surveys.NewCatalog(list)
	log.Info("surveys loaded", "dir", cfg.SurveysDir, "uploads", cfg.uploadDir(), "count", len(list))
	trajectories, err := loadTrajectories(cfg, list)
	if err != nil {
		return fmt.Errorf("load trajectories from %s:\n%w", cfg.SurveysDir, err)
	}
	for _, t := range trajectories {
		for _, w := range t.Warnings {
			log.Warn("trajectory warning", "trajectory", t.ID, "at", fmt.Sprintf("%s:%d:%d", filepath.Base(w.File), w.Line, w.Col), "warning", w.Msg)
		}
	}
	catalog.SetTrajectories(trajectories)
	if len(trajectories) > 0 {
		log.Info("trajectories loaded", "count", len(trajectories))
	}
	// Channels, one explicit line each.
	var channels []bot.Channel
	var webChat *web.Channel
	if cfg.WebChat {
		publicURL := cfg.PublicURL
		if publicURL == "" {
			publicURL = defaultPublicURL(cfg.HTTPAddr)
			log.Warn("PUBLIC_URL is not set: personal links of the web chat point to " + publicURL + ", which works only on this machine")
		}
		webChat, err = web.New(web.Config{Secret: subkey(cfg.PseudonymKey, "web"), Title: cfg.SiteTitle,
			SecureCookies: cfg.SecureCookies, PublicURL: publicURL, LinkTTL: cfg.WebLinkTTL, Location: cfg.Location,
			Je: cfg.Je, Privacy: web.Privacy{Municipality: cfg.Municipality, Contact: cfg.PrivacyContact, Threshold: cfg.Threshold,
				Channels: chatApps(cfg)}}, store.Store, log.With("channel", "web"))
		if err != nil {
			return err
		}
		channels = append(channels, webChat)
	}
	// platform webhooks, by the path serve takes their requests at
	hooks := map[string]http.Handler{}
	if cfg.TelegramToken != "" {
		// webhook, or polling on the one replica holding the poll lease
		tg, err := telegram.New(telegram.Config{Token: cfg.TelegramToken, APIEndpoint: cfg.TelegramEndpoint,
			Limits:     rateOverride(telegram.DefaultLimits, cfg.TelegramRateLimit),
			WebhookURL: cfg.TelegramWebhook, WebhookSecret: webhookSecret(cfg.PseudonymKey),
			Lease: store.Store, Replica: cfg.ReplicaID}, log.With("channel", "telegram"))
		if err != nil {
			return err
		}
		channels = append(channels, tg)
		if cfg.TelegramWebhook != "" {
			u, _ := url.Parse(cfg.TelegramWebhook) // checked by loadConfig
			hooks[u.Path] = tg.WebhookHandler()
		}
	} else {
		log.Info("telegram off: TELEGRAM_TOKEN is not set")
	}
	if cfg.DiscordToken != "" {
		imageBase := ""
		if cfg.PublicURL != "" {
			// the charts go by URL: Discord's media proxy fetches each once from here
			imageBase = strings.TrimSuffix(cfg.PublicURL, "/") + web.AttachmentPath
		} else {
			log.Warn("PUBLIC_URL is not set: every Discord member's results message uploads the charts anew; " +
				"set PUBLIC_URL to this service's public https address and each chart is fetched once")
		}
		dc, err := discord.New(discord.Config{Token: cfg.DiscordToken, APIBase: cfg.DiscordAPIBase, GuildID: cfg.DiscordGuildID,
			Limits: rateOverride(discord.DefaultLimits, cfg.DiscordRateLimit), ImageBase: imageBase, Buckets: store.Store,
			Lease: store.Store, Replica: cfg.ReplicaID, Shards: cfg.DiscordShards}, log.With("channel", "discord"))
		if err != nil {
			return err
		}
		channels = append(channels, dc)
	} else {
		log.Info("discord off: DISCORD_TOKEN is not set")
	}

	// WhatsApp queues what its webhook releases through the outbox and marks
	// residents unreachable through the store; both are made below
	var ob *outbox.Outbox
	var engine *bot.Engine
	var waChannel *whatsapp.Channel
	if wa := cfg.WhatsApp; wa.Token != "" {
		ch, err := whatsapp.New(whatsapp.Config{Token: wa.Token, PhoneNumberID: wa.PhoneNumberID, AppSecret: wa.AppSecret,
			VerifyToken: wa.VerifyToken, APIBase: wa.APIBase, Municipality: cfg.Municipality, Templates: wa.Templates,
			Limits: whatsappLimits(wa.RateLimit), Secret: subkey(cfg.PseudonymKey, "whatsapp"), Replica: cfg.ReplicaID,
			Requeue: func(ctx context.Context, m bot.Message, dedupe string) error {
				_, err := ob.Post(ctx, m, bot.Post{Dedupe: dedupe})
				return err
			},
			Gone: func(ctx context.Context, userID string) error {
				return store.Deactivate(ctx, engine.Pseudonym("whatsapp", userID))
			}}, store.Store, log.With("channel", "whatsapp"))
		if err != nil {
			return err
		}
		channels = append(channels, ch)
		hooks[whatsapp.WebhookPath] = ch.WebhookHandler()
		waChannel = ch
	} else {
		log.Info("whatsapp off: WHATSAPP_TOKEN is not set")
	}

	pop := loadPopulation(cfg, log)
	mx := metrics.New(metrics.Config{Replica: cfg.ReplicaID, Channels: channelNames(channels), Store: store.Store,
		Log: log.With("part", "metrics")})
	obCfg := outbox.Config{Quiet: cfg.Quiet, OnGone: mx.CountGone(store.Deactivate), Lease: cfg.OutboxLease}
	if err := obCfg.Validate(); err != nil {
		return err
	}
	ob = outbox.New(mx.CountLeases(store.Store), channels, obCfg, log.With("part", "outbox"))
	mx.WatchOutbox(ob)
	engine = bot.NewEngine(bot.EngineConfig{Secret: cfg.PseudonymKey, ConsentVersion: cfg.ConsentVersion,
		Kernen: cfg.Kernen, Location: cfg.Location, Threshold: cfg.Threshold, Population: pop, Stuurgroep: cfg.Stuurgroep, Organisers: cfg.Organisers, Announce: cfg.Announce,
		Forget: forgetters(webChat, waChannel), PrivacyURL: privacyURL(cfg, webChat), Municipality: cfg.MunicipalityName, Je: cfg.Je, Metrics: mx,
		PanelCode: panelCodeReader(cfg.PseudonymKey)},
		store.Store, ob, catalog, log.With("part", "engine"))
	ob.SetFresh(engine) // just before sending, the engine says whether a prompt, invitation or reminder is still true
	// an erasure (/vergeetmij) that a crash interrupted is finished before anything else
	if err := engine.ResumeErasures(ctx); err != nil {
		return fmt.Errorf("finish interrupted erasures: %w", err)
	}
	// the active set follows the participants' records after a crash between the two
	// writes (bot broadcasts read the records, so this only keeps counts and scans
	// right); in the background, as it reads every record
	go func(ctx context.Context) {
		added, removed, err := store.RepairActive(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("repair the active participants", "err", err)
		case added+removed > 0:
			log.Info("active participants repaired from their records", "added", added, "removed", removed)
		}
	}(ctx)
	lifecycle := rounds.New(rounds.Config{Location: cfg.Location, Threshold: cfg.Threshold, Population: pop},
		store.Store, catalog, engine, log.With("part", "rounds"))
	if cfg.DemoRounds {
		if err := openDemoRounds(ctx, lifecycle, catalog, log); err != nil {
			return err
		}
	}
	sched := scheduler.New(scheduler.Config{Location: cfg.Location, Replica: cfg.ReplicaID, DigestCron: cfg.DigestCron, DigestSince: firstStart},
		store.Store, lifecycle, log.With("part", "scheduler"))
	mx.WatchScheduler(sched.Leading)

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	defer ln.Close() // closed by the HTTP server once it runs; this is for an error before
	dash, dashLink, err := newDashboard(cfg, store.Store, lifecycle, catalog, pop, loopback(ln.Addr()), log.With("part", "dashboard"))
	if err != nil {
		return err
	}
	pub, err := public.New(public.Config{Location: cfg.Location, Threshold: cfg.Threshold, Population: pop}, lifecycle, catalog, log.With("part", "public"))
	if err != nil {
		return err
	}
	ready := readyz(store.Ping, channels, log)
	srv := newHTTPServer(realIP(cfg.TrustedProxies, routes(webChat, store.Store, dash, pub, hooks, ready, mx.Handler(), log)), defaultHTTPTimeouts, log)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	start := func(name string, run func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
				cancel()
			}
		}()
	}
	for _, ch := range channels {
		start(ch.Name(), func(ctx context.Context) error { return ch.Run(ctx, engine) })
	}
	start("outbox", ob.Run)
	start("scheduler", sched.Run)
	start("http", func(ctx context.Context) error { return serveHTTP(ctx, srv, ln) })
	url := "http://" + ln.Addr().String() + "/"
	if webChat != nil {
		log.Info("web chat: " + url + " (ready)")
	}
	switch {
	case cfg.DashboardUsers != "":
		log.Info("dashboard: " + url + "dashboard/")
	case dashLink != "":
		// like Jupyter's token link: anyone who can read this log can log in once
		log.Info("dashboard: " + strings.TrimSuffix(url, "/") + dashLink + " (one-time link: open it to log in)")
	default:
		log.Info("no one-time dashboard login link: HTTP_ADDR " + cfg.HTTPAddr +
			" is not a loopback address; set DASHBOARD_USERS to turn the dashboard on")
	}
	log.Info("participatiebot running", "time_zone", cfg.Location.String(), "channels", len(channels))
	<-ctx.Done()
	wg.Wait()
	log.Info("participatiebot stopped")
	return errors.Join(errs...)
}

// channelNames are the names of the channels, the values of the metrics' channel label.
func channelNames(channels []bot.Channel) []string {
	names := make([]string, len(channels))
	for i, ch := range channels {
		names[i] = ch.Name()
	}
	return names
}

// chatApps names the chat apps residents may use besides the web chat, for the
// privacy statement's list of processors.
func chatApps(cfg *config) []string {
	var out []string
	if cfg.TelegramToken != "" {
		out = append(out, "Telegram")
	}
	if cfg.DiscordToken != "" {
		out = append(out, "Discord")
	}
	if cfg.WhatsApp.Token != "" {
		out = append(out, "WhatsApp")
	}
	return out
}

// privacyURL is the web chat's privacy statement, linked from the consent question.
func privacyURL(cfg *config, webChat *web.Channel) string {
	if webChat == nil {
		return ""
	}
	return strings.TrimRight(or(cfg.PublicURL, defaultPublicURL(cfg.HTTPAddr)), "/") + "/privacy"
}

// forgetters are the channels that keep data about a chat themselves: the web chat
// (its transcript), WhatsApp (the window and the messages held).
func forgetters(webChat *web.Channel, wa *whatsapp.Channel) map[string]bot.Forgetter {
	out := map[string]bot.Forgetter{}
	if webChat != nil {
		out[webChat.Name()] = webChat
	}
	if wa != nil {
		out[wa.Name()] = wa
	}
	return out
}

// whatsappLimits are WhatsApp's limits with WHATSAPP_RATE_LIMIT, when set, as the
// number's throughput (Meta raises it to up to 1,000/s); the pair rate to one
// resident stays Meta's.
func whatsappLimits(perSecond float64) bot.Limits {
	l := whatsapp.DefaultLimits
	if perSecond > 0 {
		l.PerSecond, l.Burst = perSecond, max(1, int(perSecond/16))
	}
	return l
}

func rateOverride(l bot.Limits, perSecond float64) bot.Limits {
	if perSecond > 0 {
		l.PerSecond, l.Burst = perSecond, int(perSecond)
		l.PerChatPerSecond, l.PerChatBurst = perSecond, int(perSecond)
	}
	return l
}

// openedStore is an open store and, for a CLI command that started the embedded
// redis-server itself, the DATA_DIR lock it holds meanwhile.
type openedStore struct {
	*storage.Embedded
	lock *dirLock
}

// Close closes the store, then releases the lock.
func (s *openedStore) Close() error {
	err := s.Embedded.Close()
	if lerr := s.lock.Close(); err == nil {
		err = lerr
	}
	return err
}

// openStore connects to REDIS_URL, or to the embedded store. For CLI commands
// (serving false) a running serve's embedded redis-server is used via its socket;
// when none answers, the command starts the embedded store itself, holding the
// DATA_DIR lock meanwhile as serve does (serve takes its lock before).
func openStore(ctx context.Context, cfg *config, log *slog.Logger, serving bool) (*openedStore, error) {
	if cfg.RedisURL != "" {
		st, err := storage.Open(ctx, cfg.RedisURL)
		if err != nil {
			return nil, err
		}
		log.Info("store: redis", "url", redactURL(cfg.RedisURL))
		return &openedStore{Embedded: &storage.Embedded{Store: st, Durable: true, Description: "REDIS_URL"}}, nil
	}
	var lock *dirLock
	if !serving {
		sock := filepath.Join(cfg.DataDir, "redis", "redis.sock")
		if _, err := os.Stat(sock); err == nil {
			if st, err := storage.Open(ctx, "unix://"+sock); err == nil {
				return &openedStore{Embedded: &storage.Embedded{Store: st, Durable: true, Description: sock}}, nil
			}
		}
		var err error
		if lock, err = lockDataDir(cfg.DataDir); err != nil {
			if inUse := (*inUseError)(nil); errors.As(err, &inUse) {
				return nil, fmt.Errorf("%w; de opslag antwoordt (nog) niet op %s: probeer het zo opnieuw", err, sock)
			}
			return nil, err
		}
	}
	emb, err := storage.OpenEmbedded(ctx, cfg.DataDir, log)
	if err != nil {
		lock.Close()
		return nil, err
	}
	if emb.Durable {
		log.Info("store: "+emb.Description, "durable", true)
	} else {
		log.Warn("store: "+emb.Description, "durable", false)
	}
	return &openedStore{Embedded: emb, lock: lock}, nil
}

// redactURL drops a password from a redis URL for the log.
func redactURL(u string) string {
	if at := strings.LastIndex(u, "@"); at >= 0 {
		if scheme := strings.Index(u, "://"); scheme >= 0 && scheme < at {
			return u[:scheme+3] + "***@" + u[at+1:]
		}
	}
	return u
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// routes serves the web chat at /, the dashboard at /dashboard/, the public
// results at /openbaar/ (also without the web chat), liveness at /healthz,
// readiness at /readyz, Prometheus' metrics at /metrics and the platforms' webhooks at
// their paths. /metrics asks no login and shares the listener: it shows counts by
// channel, priority, state and outcome, never a participant, a chat, a round id or an
// answer (internal/metrics bounds its labels so), which is fine to show; an operator
// who would rather not publish it blocks the path at the reverse proxy.
func routes(webChat *web.Channel, blobs web.BlobStore, dash, pub http.Handler, hooks map[string]http.Handler, ready, metricsHandler http.Handler, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /readyz", ready)
	mux.Handle("GET /metrics", metricsHandler)
	mux.Handle("/dashboard/", dash)
	mux.Handle("/dashboard", http.RedirectHandler("/dashboard/", http.StatusMovedPermanently))
	mux.Handle(public.Prefix, pub)
	mux.Handle("/openbaar", http.RedirectHandler(public.Prefix, http.StatusMovedPermanently))
	for path, h := range hooks {
		mux.Handle(path, h)
	}
	if webChat != nil {
		mux.Handle("/", webChat.Handler()) // with the shared images
	} else {
		mux.Handle("GET "+web.AttachmentPath+"{ref}", web.Attachments(blobs, log)) // Discord's charts
	}
	return mux
}

// newDashboard is the dashboard with DASHBOARD_USERS. Without them, on a
// loopback address (local: only this machine can reach it) it has a one-time
// login link instead, whose path it returns to be printed in the log; elsewhere
// it is off.
func newDashboard(cfg *config, store *storage.Store, lifecycle *rounds.Service, catalog *surveys.Catalog, pop *surveys.Population, local bool, log *slog.Logger) (http.Handler, string, error) {
	users, err := dashboard.ParseUsers(cfg.DashboardUsers)
	if err != nil {
		return nil, "", fmt.Errorf("DASHBOARD_USERS: %w", err)
	}
	var once *dashboard.OneTimeLogin
	var link string
	if len(users) == 0 && local {
		once, link = dashboard.NewOneTimeLogin()
	}
	h, err := dashboard.New(dashboard.Config{Users: users, Secret: subkey(cfg.PseudonymKey, "dashboard"), ExportKey: subkey(cfg.PseudonymKey, "export"),
		SurveysDir: cfg.uploadDir(), Location: cfg.Location, Threshold: cfg.Threshold, Population: pop,
		SecureCookies: cfg.SecureCookies, AuditRetention: cfg.AuditRetention, OneTime: once}, store, lifecycle, catalog, log)
	return h, link, err
}

// loopback reports whether addr is on a loopback interface only (127.0.0.0/8,
// ::1), so that nobody but this machine's users reaches it.
func loopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// loadPopulation reads POPULATION_FILE; without it (or when it cannot be read, with a
// warning) results have no afspiegeling against the population and are not weighted.
func loadPopulation(cfg *config, log *slog.Logger) *surveys.Population {
	if cfg.PopulationFile == "" {
		return nil
	}
	pop, err := surveys.LoadPopulation(cfg.PopulationFile)
	if err != nil {
		log.Warn("no population table: no afspiegeling against the population and no weighting", "err", err)
		return nil
	}
	return pop
}

// serveHTTP serves until ctx ends, then shuts down gracefully.
func serveHTTP(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// openDemoRounds opens a round of every survey that has no open round.
func openDemoRounds(ctx context.Context, lifecycle *rounds.Service, catalog *surveys.Catalog, log *slog.Logger) error {
	all, err := lifecycle.List(ctx, time.Now())
	if err != nil {
		return err
	}
	open := map[string]bool{}
	for _, r := range all {
		if r.State == storage.Opened {
			open[r.Survey] = true
		}
	}
	for _, s := range catalog.All() {
		if open[s.ID] {
			continue
		}
		r, err := lifecycle.Open(ctx, s, time.Now())
		if err != nil {
			return fmt.Errorf("open demo round of %s: %w", s.ID, err)
		}
		log.Info("demo round opened (DEMO_ROUNDS)", "round", r.ID)
	}
	return nil
}

// panelCodeReader reads a typed invitation code of a lottery letter and gives the
// hash participatiebot loting stored it under (the same subkey of the pseudonym key).
func panelCodeReader(master []byte) func(typed string) (hash, code string, ok bool) {
	key := subkey(master, "panel")
	return func(typed string) (string, string, bool) {
		code, ok := panel.NormaliseCode(typed)
		if !ok {
			return "", "", false
		}
		return panel.HashCode(key, code), code, true
	}
}
