package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/whatsapp"
	"github.com/participatiebot/participatiebot/scheduler"
	"github.com/robfig/cron/v3"
)

// config is every setting, from the environment. README lists them with defaults.
type config struct {
	RedisURL          string
	DataDir           string
	SurveysDir        string
	TelegramToken     string
	TelegramEndpoint  string
	TelegramWebhook   string // Telegram posts updates here instead of being polled
	TelegramBot       string // the bot's username, for the t.me links of lottery letters
	Stuurgroep        []bot.Address
	Organisers        []bot.Address
	Announce          []bot.Address
	Location          *time.Location
	Quiet             outbox.QuietHours
	PseudonymKey      []byte
	ConsentVersion    string
	Kernen            []string
	Threshold         int
	LogLevel          string
	TelegramRateLimit float64 // overrides the global send rate (tests, local Bot API servers)
	OutboxLease       time.Duration
	ReplicaID         string
	DigestCron        string
	HTTPAddr          string
	PublicURL         string        // where residents reach the web chat; personal links use it
	WebLinkTTL        time.Duration // how long a personal link of the web chat works
	SiteTitle         string
	SecureCookies     bool
	DashboardUsers    string
	AuditRetention    time.Duration  // 0: the dashboard's default (two years)
	TrustedProxies    []netip.Prefix // reverse proxies whose X-Forwarded-For is believed
	Municipality      string         // the controller named in the privacy statement
	Je                bool           // AANSPREEKVORM=je: Dutch texts address residents with je, not u
	// MunicipalityName is GEMEENTE as set: "" lets every language name "the
	// municipality" in its own words in the chat, where Municipality says "de gemeente"
	MunicipalityName string
	PrivacyContact   string // where residents reach the privacy officer
	PopulationFile   string
	WebChat          bool
	DemoRounds       bool
	DiscordToken     string
	DiscordAPIBase   string
	DiscordGuildID   string
	DiscordRateLimit float64
	DiscordShards    int // gateway shards, each held by one replica under a lease
	WhatsApp         whatsappConfig
}

// whatsappConfig is the WhatsApp channel's part of the environment; Token turns it on.
type whatsappConfig struct {
	Token         string
	PhoneNumberID string
	AppSecret     string
	VerifyToken   string
	APIBase       string
	Templates     map[string]whatsapp.Template
	RateLimit     float64
	// Number is the WhatsApp number residents write to, in international form, for
	// the wa.me links of lottery letters; not needed by the channel itself.
	Number string
}

type env func(string) string

// loadConfig reads the environment. Secrets may come from a file named in NAME_FILE.
func loadConfig(getenv env) (*config, error) {
	c := &config{
		RedisURL:         getenv("REDIS_URL"),
		DataDir:          or(getenv("DATA_DIR"), "data"),
		SurveysDir:       or(getenv("SURVEYS_DIR"), "examples"),
		TelegramEndpoint: getenv("TELEGRAM_API_ENDPOINT"),
		TelegramBot:      strings.TrimPrefix(strings.TrimSpace(getenv("TELEGRAM_BOT_USERNAME")), "@"),
		ConsentVersion:   or(getenv("CONSENT_VERSION"), "2026-12"),
		LogLevel:         or(getenv("LOG_LEVEL"), "info"),
		Kernen:           splitList(or(getenv("KERNEN"), "Dalfsen,Nieuwleusen,Lemelerveld,Hoonhorst,Oudleusen,Ankum")),
	}
	var errs []error
	var err error
	if c.TelegramToken, err = secret(getenv, "TELEGRAM_TOKEN"); err != nil {
		errs = append(errs, err)
	}
	if c.DiscordToken, err = secret(getenv, "DISCORD_TOKEN"); err != nil {
		errs = append(errs, err)
	}
	if c.TelegramWebhook = getenv("TELEGRAM_WEBHOOK_URL"); c.TelegramWebhook != "" {
		if err := checkWebhookURL(c.TelegramWebhook); err != nil {
			errs = append(errs, fmt.Errorf("TELEGRAM_WEBHOOK_URL: %w", err))
		}
	}
	if wa, err := loadWhatsApp(getenv); err != nil {
		errs = append(errs, err)
	} else {
		c.WhatsApp = wa
	}
	c.DiscordAPIBase, c.DiscordGuildID = getenv("DISCORD_API_BASE"), getenv("DISCORD_GUILD_ID")
	if v := getenv("DISCORD_RATE_LIMIT"); v != "" {
		if c.DiscordRateLimit, err = strconv.ParseFloat(v, 64); err != nil || c.DiscordRateLimit <= 0 {
			errs = append(errs, fmt.Errorf("DISCORD_RATE_LIMIT: want messages per second, got %q", v))
		}
	}
	if c.DiscordShards, err = strconv.Atoi(or(getenv("DISCORD_SHARDS"), "1")); err != nil || c.DiscordShards < 1 {
		errs = append(errs, fmt.Errorf("DISCORD_SHARDS: want a whole number of gateway shards, at least 1, got %q", getenv("DISCORD_SHARDS")))
	}
	if c.Location, err = time.LoadLocation(or(getenv("TIMEZONE"), "Europe/Amsterdam")); err != nil {
		errs = append(errs, fmt.Errorf("TIMEZONE: %w", err))
		c.Location = time.UTC
	}
	if c.Quiet, err = outbox.ParseQuietHours(or(getenv("QUIET_HOURS"), "21:00-08:00"), c.Location); err != nil {
		errs = append(errs, fmt.Errorf("QUIET_HOURS: %w", err))
	}
	if c.Stuurgroep, err = bot.ParseAddresses(getenv("STUURGROEP_CHATS")); err != nil {
		errs = append(errs, fmt.Errorf("STUURGROEP_CHATS: %w", err))
	}
	if c.Announce, err = bot.ParseAddresses(getenv("ANNOUNCE_CHATS")); err != nil {
		errs = append(errs, fmt.Errorf("ANNOUNCE_CHATS: %w", err))
	}
	if c.Organisers, err = bot.ParseAddresses(getenv("ORGANISERS")); err != nil {
		errs = append(errs, fmt.Errorf("ORGANISERS: %w", err))
	}
	if c.Threshold, err = strconv.Atoi(or(getenv("PRIVACY_THRESHOLD"), "10")); err != nil || c.Threshold < 1 {
		errs = append(errs, fmt.Errorf("PRIVACY_THRESHOLD: want a whole number of at least 1, got %q", getenv("PRIVACY_THRESHOLD")))
	}
	if v := getenv("TELEGRAM_RATE_LIMIT"); v != "" {
		if c.TelegramRateLimit, err = strconv.ParseFloat(v, 64); err != nil || c.TelegramRateLimit <= 0 {
			errs = append(errs, fmt.Errorf("TELEGRAM_RATE_LIMIT: want messages per second, got %q", v))
		}
	}
	if c.OutboxLease, err = time.ParseDuration(or(getenv("OUTBOX_LEASE"), "15s")); err != nil || c.OutboxLease < time.Second {
		errs = append(errs, fmt.Errorf("OUTBOX_LEASE: want a duration of at least 1s, got %q", getenv("OUTBOX_LEASE")))
	}
	for _, k := range c.Kernen {
		if strings.ContainsAny(k, ": \t") {
			errs = append(errs, fmt.Errorf("KERNEN: %q: a kern may not contain spaces or ':'", k))
		}
	}
	c.HTTPAddr = or(getenv("HTTP_ADDR"), "127.0.0.1:8080")
	c.PublicURL = getenv("PUBLIC_URL") // empty: serve uses defaultPublicURL and warns
	if c.WebLinkTTL, err = time.ParseDuration(or(getenv("WEB_LINK_TTL"), "720h")); err != nil || c.WebLinkTTL <= 0 {
		errs = append(errs, fmt.Errorf("WEB_LINK_TTL: want a positive duration such as 720h (30 days), got %q", getenv("WEB_LINK_TTL")))
	}
	if v := getenv("AUDIT_RETENTION"); v != "" {
		if c.AuditRetention, err = time.ParseDuration(v); err != nil || c.AuditRetention < 24*time.Hour {
			errs = append(errs, fmt.Errorf("AUDIT_RETENTION: want a duration of at least 24h, such as 17520h (two years), got %q", v))
		}
	}
	c.SiteTitle = or(getenv("SITE_TITLE"), "Participatiebot")
	if c.TrustedProxies, err = parseTrustedProxies(getenv("TRUSTED_PROXIES")); err != nil {
		errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %w", err))
	}
	c.MunicipalityName = strings.TrimSpace(getenv("GEMEENTE"))
	c.Municipality = or(c.MunicipalityName, "de gemeente")
	switch v := strings.ToLower(strings.TrimSpace(getenv("AANSPREEKVORM"))); v {
	case "", "u":
	case "je", "jij":
		c.Je = true
	default:
		errs = append(errs, fmt.Errorf("AANSPREEKVORM: want u (the default) or je, got %q", v))
	}
	c.PrivacyContact = getenv("PRIVACY_CONTACT")
	c.PopulationFile = or(getenv("POPULATION_FILE"), filepath.Join(c.SurveysDir, "bevolking", "dalfsen-kernen.yaml"))
	// On the embedded defaults (a try-out) every example survey gets an open round, so
	// the web chat has something to answer; with REDIS_URL rounds follow their schedules.
	if c.DemoRounds, err = parseBool(getenv("DEMO_ROUNDS"), c.RedisURL == ""); err != nil {
		errs = append(errs, fmt.Errorf("DEMO_ROUNDS: %w", err))
	}
	if c.SecureCookies, err = parseBool(getenv("SECURE_COOKIES"), false); err != nil {
		errs = append(errs, fmt.Errorf("SECURE_COOKIES: %w", err))
	}
	if c.WebChat, err = parseBool(getenv("WEB_CHAT"), true); err != nil {
		errs = append(errs, fmt.Errorf("WEB_CHAT: %w", err))
	}
	if c.DashboardUsers, err = secret(getenv, "DASHBOARD_USERS"); err != nil {
		errs = append(errs, err)
	}
	c.DigestCron = or(getenv("DIGEST_CRON"), scheduler.DefaultDigestCron)
	if c.DigestCron != "off" {
		if _, err := cron.ParseStandard(c.DigestCron); err != nil {
			return nil, fmt.Errorf("DIGEST_CRON %q: want a 5-field cron spec in local time, or off: %w", c.DigestCron, err)
		}
	}
	c.ReplicaID = getenv("REPLICA_ID")
	if c.ReplicaID == "" {
		// stable across restarts of one installation, so a restarted service takes the
		// scheduler lock back at once instead of waiting for the dead one's to expire
		host, _ := os.Hostname()
		dir, _ := filepath.Abs(c.DataDir)
		c.ReplicaID = host + ":" + dir
	}
	key, err := secret(getenv, "PSEUDONYM_KEY")
	if err != nil {
		errs = append(errs, err)
	} else if key == "" && getenv("PSEUDONYM_KEY_FILE") != "" {
		// an empty file is a mistake, not a request for the key in DATA_DIR
		errs = append(errs, fmt.Errorf("PSEUDONYM_KEY_FILE %s is leeg", getenv("PSEUDONYM_KEY_FILE")))
	}
	c.PseudonymKey = []byte(key)
	return c, errors.Join(errs...)
}

// uploadDir is where the dashboard saves uploaded surveys: DATA_DIR/vragenlijsten,
// with the installation's data and out of the repository's examples. Surveys there
// replace those of SURVEYS_DIR with the same id (loadSurveys).
func (c *config) uploadDir() string { return filepath.Join(c.DataDir, "vragenlijsten") }

// errNoPseudonymKey is the CLI's refusal without a pseudonym key: export ids derived
// from any other key would differ from the dashboard's, and from an empty key they
// could be linked back to storage pseudonyms.
var errNoPseudonymKey = errors.New("geen schuilnaamsleutel gevonden: zet PSEUDONYM_KEY of PSEUDONYM_KEY_FILE zoals bij serve, " +
	"of gebruik de DATA_DIR van serve (met pseudonym.key)")

// loadPseudonymKey loads the pseudonym key the one way serve and the CLI share:
// PSEUDONYM_KEY or the file in PSEUDONYM_KEY_FILE (read by loadConfig), else
// DATA_DIR/pseudonym.key. Only serve may make that file on first start (create);
// an organiser command without a key refuses. It returns where the key came from.
// The key never lives in Redis: whoever has the store must not be able to
// recompute pseudonyms from platform ids.
func (c *config) loadPseudonymKey(create bool) (string, error) {
	if len(c.PseudonymKey) > 0 {
		return "PSEUDONYM_KEY", nil
	}
	path := filepath.Join(c.DataDir, "pseudonym.key")
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !create:
		return "", fmt.Errorf("%w (%s bestaat niet)", errNoPseudonymKey, path)
	case errors.Is(err, fs.ErrNotExist):
		buf := make([]byte, 32)
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("make pseudonym key: %w", err)
		}
		b = []byte(hex.EncodeToString(buf))
		if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
			return "", fmt.Errorf("make pseudonym key: %w", err)
		}
		// O_EXCL: never overwrite a key that appeared meanwhile
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return "", fmt.Errorf("make pseudonym key: %w", err)
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return "", fmt.Errorf("make pseudonym key: %w", err)
		}
		if err := f.Close(); err != nil {
			return "", fmt.Errorf("make pseudonym key: %w", err)
		}
	case err != nil:
		return "", fmt.Errorf("read pseudonym key: %w", err)
	}
	key := strings.TrimSpace(string(b))
	if key == "" {
		return "", fmt.Errorf("de schuilnaamsleutel in %s is leeg: zet de oorspronkelijke sleutel terug (een nieuwe sleutel maakt nieuwe schuilnamen)", path)
	}
	c.PseudonymKey = []byte(key)
	return path, nil
}

// secret reads NAME, or the file named by NAME_FILE (Docker secrets).
// loadWhatsApp reads the WHATSAPP_ variables; without a token the channel is off and
// the others are not looked at.
func loadWhatsApp(getenv env) (whatsappConfig, error) {
	var wa whatsappConfig
	var errs []error
	var err error
	if wa.Token, err = secret(getenv, "WHATSAPP_TOKEN"); err != nil {
		errs = append(errs, err)
	}
	wa.Number = strings.TrimSpace(getenv("WHATSAPP_NUMBER"))
	if wa.Token == "" {
		return wa, errors.Join(errs...)
	}
	if wa.AppSecret, err = secret(getenv, "WHATSAPP_APP_SECRET"); err != nil {
		errs = append(errs, err)
	}
	wa.PhoneNumberID, wa.VerifyToken, wa.APIBase = getenv("WHATSAPP_PHONE_NUMBER_ID"), getenv("WHATSAPP_VERIFY_TOKEN"), getenv("WHATSAPP_API_BASE")
	if wa.Templates, err = whatsapp.ParseTemplates(getenv("WHATSAPP_TEMPLATES")); err != nil {
		errs = append(errs, fmt.Errorf("WHATSAPP_TEMPLATES: %w", err))
	}
	if v := getenv("WHATSAPP_RATE_LIMIT"); v != "" {
		if wa.RateLimit, err = strconv.ParseFloat(v, 64); err != nil || wa.RateLimit <= 0 {
			errs = append(errs, fmt.Errorf("WHATSAPP_RATE_LIMIT: want messages per second, got %q", v))
		}
	}
	for name, v := range map[string]string{"WHATSAPP_PHONE_NUMBER_ID": wa.PhoneNumberID, "WHATSAPP_APP_SECRET": wa.AppSecret, "WHATSAPP_VERIFY_TOKEN": wa.VerifyToken} {
		if v == "" {
			errs = append(errs, fmt.Errorf("%s is not set: WhatsApp needs it with WHATSAPP_TOKEN (see README, WhatsApp koppelen)", name))
		}
	}
	return wa, errors.Join(errs...)
}

func secret(getenv env, name string) (string, error) {
	if v := getenv(name); v != "" {
		return v, nil
	}
	path := getenv(name + "_FILE")
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func parseBool(v string, def bool) (bool, error) {
	switch strings.ToLower(v) {
	case "":
		return def, nil
	case "1", "true", "yes", "ja", "on", "aan":
		return true, nil
	case "0", "false", "no", "nee", "off", "uit":
		return false, nil
	}
	return def, fmt.Errorf("want true or false, got %q", v)
}

// checkWebhookURL checks a platform's webhook URL: as the platform wants it, and with
// a path of its own on serve's listener, next to the web chat, the dashboard and the
// health checks.
func checkWebhookURL(raw string) error {
	if err := telegram.CheckWebhookURL(raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	p := u.Path
	switch {
	case p == "" || p == "/":
		return fmt.Errorf("%q needs a path of its own, such as /telegram/webhook", raw)
	case p == "/healthz", p == "/readyz", p == "/privacy", p == "/dashboard", strings.HasPrefix(p, "/dashboard/"):
		return fmt.Errorf("%q: path %s is taken; use one such as /telegram/webhook", raw, p)
	}
	return nil
}

// webhookSecret is the secret_token of Telegram's webhook: derived from the pseudonym
// key, so every replica has the same one without another secret to share, and
// base64url, the characters setWebhook allows (43 of them).
func webhookSecret(key []byte) string {
	return base64.RawURLEncoding.EncodeToString(subkey(key, "telegram-webhook"))
}

// subkey derives a key for one purpose from the pseudonym key, so one secret is kept.
func subkey(master []byte, purpose string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("participatiebot:" + purpose))
	return m.Sum(nil)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// defaultPublicURL is the web chat's address when PUBLIC_URL is not set: HTTP_ADDR,
// reachable only where that address is.
func defaultPublicURL(httpAddr string) string {
	if strings.HasPrefix(httpAddr, ":") {
		httpAddr = "localhost" + httpAddr
	}
	return "http://" + httpAddr
}
