package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("id: Bad Id\ntitle: x\nquestions: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// a trajectory naming a survey that is neither beside it nor named
	traject, err := os.ReadFile("../../examples/goed-goan.traject.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lost := filepath.Join(dir, "los.traject.yaml")
	if err := os.WriteFile(lost, traject, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  *regexp.Regexp
	}{
		{"a trajectory beside its surveys", []string{"validate", "../../examples/goed-goan.traject.yaml"}, 0, regexp.MustCompile(`^$`)},
		{"a trajectory and the surveys it names", []string{"validate", lost, "../../examples/goed-goan-wie-van-de-drie.yaml"}, 0, regexp.MustCompile(`^$`)},
		{"a trajectory without its surveys", []string{"validate", lost}, 1,
			regexp.MustCompile(`^` + regexp.QuoteMeta(lost) + `:\d+:\d+: fase "kiezen": er is geen vragenlijst met het id "goed-goan-wie-van-de-drie"\n  tip: .+\n$`)},
		{"examples are valid", []string{"validate", "../../examples/burgerpeiling.yaml", "testdata/e2e.yaml"}, 0, regexp.MustCompile(`^$`)},
		{"every problem with position and tip", []string{"validate", bad}, 1,
			regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(bad) + `:\d+:\d+: .+\n  tip: .+\n(.+:\d+:\d+: .+\n  tip: .+\n){2,}$`)},
		{"missing file", []string{"validate", filepath.Join(dir, "nope.yaml")}, 1,
			regexp.MustCompile(`^` + regexp.QuoteMeta(filepath.Join(dir, "nope.yaml")) + `: dit bestand bestaat niet\n$`)},
		{"a folder", []string{"validate", dir}, 1,
			regexp.MustCompile(`^` + regexp.QuoteMeta(dir) + `: dit is een map; noem de bestanden, bijvoorbeeld ` + regexp.QuoteMeta(filepath.Join(dir, "*.yaml")) + `\n$`)},
		{"no files", []string{"validate"}, 2, regexp.MustCompile(`^$`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, func(string) string { return "" }, &out, &errb)
			if code != tc.wantCode {
				t.Errorf("exit: got %d, want %d (stderr %q)", code, tc.wantCode, errb.String())
			}
			if !tc.wantOut.MatchString(out.String()) {
				t.Errorf("output: got %q, want match %s", out.String(), tc.wantOut)
			}
		})
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(secretFile, []byte("42:from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(*config) bool
	}{
		{"defaults", nil, "", func(c *config) bool {
			return c.Location.String() == "Europe/Amsterdam" && c.Threshold == 10 && c.SurveysDir == "examples" &&
				len(c.Kernen) == 6 && c.Quiet.Start.Hours() == 21 && c.Quiet.End.Hours() == 8
		}},
		{"token from file", map[string]string{"TELEGRAM_TOKEN_FILE": secretFile}, "", func(c *config) bool { return c.TelegramToken == "42:from-file" }},
		{"stuurgroep chats", map[string]string{"STUURGROEP_CHATS": "telegram:-100123, telegram:5"}, "", func(c *config) bool {
			return len(c.Stuurgroep) == 2 && c.Stuurgroep[0].ChatID == "-100123"
		}},
		{"je register", map[string]string{"AANSPREEKVORM": "je"}, "", func(c *config) bool { return c.Je }},
		{"u register by default", map[string]string{"AANSPREEKVORM": "U"}, "", func(c *config) bool { return !c.Je }},
		{"bad register", map[string]string{"AANSPREEKVORM": "jullie"}, "AANSPREEKVORM", nil},
		{"bad quiet hours", map[string]string{"QUIET_HOURS": "21-8"}, "QUIET_HOURS", nil},
		{"bad time zone", map[string]string{"TIMEZONE": "Mars/Olympus"}, "TIMEZONE", nil},
		{"bad threshold", map[string]string{"PRIVACY_THRESHOLD": "0"}, "PRIVACY_THRESHOLD", nil},
		{"bad address", map[string]string{"STUURGROEP_CHATS": "telegram"}, "STUURGROEP_CHATS", nil},
		{"kern with space", map[string]string{"KERNEN": "Dalfsen,Den Hulst"}, "KERNEN", nil},
		{"missing secret file", map[string]string{"PSEUDONYM_KEY_FILE": "/nonexistent/key"}, "PSEUDONYM_KEY_FILE", nil},
		{"telegram webhook", map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.gemeente.nl/telegram/webhook"}, "", func(c *config) bool {
			return c.TelegramWebhook == "https://bot.gemeente.nl/telegram/webhook"
		}},
		{"telegram webhook on localhost", map[string]string{"TELEGRAM_WEBHOOK_URL": "http://127.0.0.1:8080/telegram/webhook"}, "", func(c *config) bool {
			return c.TelegramWebhook != ""
		}},
		{"telegram webhook over http", map[string]string{"TELEGRAM_WEBHOOK_URL": "http://bot.gemeente.nl/telegram/webhook"}, "TELEGRAM_WEBHOOK_URL", nil},
		{"telegram webhook without a path", map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.gemeente.nl"}, "TELEGRAM_WEBHOOK_URL", nil},
		{"telegram webhook on the dashboard", map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.gemeente.nl/dashboard/hook"}, "TELEGRAM_WEBHOOK_URL", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfig(func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Errorf("got %+v, not as expected", c)
			}
		})
	}
}

// TestWebhookSecretDerived: every replica with the same pseudonym key derives the same
// secret_token, one setWebhook accepts (1–256 of A-Z a-z 0-9 _ -), which shows nothing
// of the key.
func TestWebhookSecretDerived(t *testing.T) {
	a, b := webhookSecret([]byte("test-key")), webhookSecret([]byte("test-key"))
	if a != b {
		t.Errorf("got %q and %q for one key, want the same", a, b)
	}
	if other := webhookSecret([]byte("another-key")); other == a {
		t.Errorf("got %q for two keys, want different secrets", a)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`).MatchString(a) || strings.Contains(a, "test-key") {
		t.Errorf("got %q, want 1-256 of A-Z a-z 0-9 _ - and not the key", a)
	}
}

// TestCLIRedisUnreachable: with REDIS_URL pointing where no Redis answers, every
// organiser command prints one Dutch line that says what to do, and nothing else:
// not go-redis's own lines about each failed dial (it writes those to the process's
// stderr, so the real binary is run). The URL's password is not shown.
func TestCLIRedisUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	bin := buildBinary(t)
	want := "Kan Redis niet bereiken op redis://***@" + addr + ": start serve eerst, of zet REDIS_URL/DATA_DIR zoals serve ze gebruikt.\n"
	for _, args := range [][]string{{"rounds", "list"}, {"rounds", "close", "r1"}, {"inbound"}, {"outbox", "dead"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, args...)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "REDIS_URL=redis://:geheim@" + addr, "DATA_DIR=" + t.TempDir()}
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Errorf("exit: got %v, want 1", err)
			}
			if errb.String() != want || out.String() != "" {
				t.Errorf("got stdout %q, stderr %q; want only %q", out.String(), errb.String(), want)
			}
		})
	}
}
