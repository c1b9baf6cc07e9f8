package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runQuick runs the command line and fails the test when it does not return within
// a few seconds: a command that should only print help must not start a service.
func runQuick(t *testing.T, args []string, env map[string]string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, &out, &errb) }()
	select {
	case code = <-done:
	case <-time.After(5 * time.Second):
		cancel()
		<-done
		t.Fatalf("participatiebot %s did not return within 5s (it started something); stderr:\n%s", strings.Join(args, " "), errb.String())
	}
	return code, out.String(), errb.String()
}

// quietEnv has a DATA_DIR that does not exist yet: a command that opens or starts
// anything (a store, a lock, a key) creates it.
func quietEnv(t *testing.T) (map[string]string, string) {
	dataDir := filepath.Join(t.TempDir(), "data")
	return map[string]string{"DATA_DIR": dataDir, "HTTP_ADDR": "127.0.0.1:0", "SURVEYS_DIR": "testdata",
		"DIGEST_CRON": "off"}, dataDir
}

func TestHelpStartsNothing(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the help
	}{
		{[]string{"serve", "--help"}, "Gebruik: participatiebot serve"},
		{[]string{"serve", "-h"}, "Gebruik: participatiebot serve"},
		{[]string{"serve", "-help"}, "Gebruik: participatiebot serve"},
		{[]string{"validate", "--help"}, "Gebruik: participatiebot validate BESTAND"},
		{[]string{"validate", "testdata/e2e.yaml", "-h"}, "Gebruik: participatiebot validate BESTAND"},
		{[]string{"rounds", "--help"}, "participatiebot rounds list"},
		{[]string{"rounds", "list", "--help"}, "Gebruik: participatiebot rounds list"},
		{[]string{"rounds", "open", "--help"}, "Gebruik: participatiebot rounds open VRAGENLIJST"},
		{[]string{"rounds", "open", "e2e", "-h"}, "Gebruik: participatiebot rounds open VRAGENLIJST"},
		{[]string{"rounds", "close", "--help"}, "Gebruik: participatiebot rounds close RONDE"},
		{[]string{"results", "--help"}, "--publicatie"},
		{[]string{"results", "e2e-20300101-0900", "--raw", "--help"}, "--publicatie"},
		{[]string{"decide", "--help"}, "Gebruik: participatiebot decide RONDE --text BESTAND"},
		{[]string{"decide", "e2e-20300101-0900", "--text", "besluit.txt", "-h"}, "Gebruik: participatiebot decide"},
		{[]string{"digest", "--help"}, "Gebruik: participatiebot digest"},
		{[]string{"verslag", "--help"}, "Gebruik: participatiebot verslag TRAJECT"},
		{[]string{"trend", "--help"}, "Gebruik: participatiebot trend VRAGENLIJST"},
		{[]string{"inbound", "--help"}, "Gebruik: participatiebot inbound"},
		{[]string{"loting", "goed-goan", "--steekproef", "brp.csv", "--help"}, "Gebruik: participatiebot loting TRAJECT"},
		{[]string{"help"}, "burgerparticipatie via chat"},
		{[]string{"help", "--help"}, "Gebruik: participatiebot help"},
		{[]string{"help", "serve"}, "Gebruik: participatiebot serve"},
		{[]string{"help", "rounds", "open"}, "Gebruik: participatiebot rounds open"},
		{[]string{"--help"}, "burgerparticipatie via chat"},
		{[]string{"-h"}, "burgerparticipatie via chat"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			env, dataDir := quietEnv(t)
			code, out, errOut := runQuick(t, tc.args, env)
			if code != 0 {
				t.Errorf("exit: got %d, want 0 (stderr %q)", code, errOut)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("stdout: got %q, want it to contain %q", out, tc.want)
			}
			if errOut != "" {
				t.Errorf("stderr: got %q, want nothing", errOut)
			}
			if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
				t.Errorf("DATA_DIR %s exists after --help (stat: %v): something was opened or started", dataDir, err)
			}
		})
	}
}

func TestBadCommandLines(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the Dutch error on stderr
		help string // the help that follows it
	}{
		{[]string{"serve", "--port", "8080"}, "onbekende optie -port", "Gebruik: participatiebot serve"},
		{[]string{"serve", "nu"}, `onverwacht argument "nu"`, "Gebruik: participatiebot serve"},
		{[]string{"validate", "--strikt", "testdata/e2e.yaml"}, "onbekende optie -strikt", "Gebruik: participatiebot validate"},
		{[]string{"validate"}, "geen bestand genoemd", "Gebruik: participatiebot validate"},
		{[]string{"rounds"}, "kies list, open of close", "participatiebot rounds list"},
		{[]string{"rounds", "wis", "x"}, "onbekend: rounds wis x", "participatiebot rounds list"},
		{[]string{"rounds", "list", "--alle"}, "onbekende optie -alle", "Gebruik: participatiebot rounds list"},
		{[]string{"rounds", "list", "extra"}, `onverwacht argument "extra"`, "Gebruik: participatiebot rounds list"},
		{[]string{"rounds", "open"}, "noem één vragenlijst", "Gebruik: participatiebot rounds open"},
		{[]string{"rounds", "close", "a", "b"}, "noem één ronde", "Gebruik: participatiebot rounds close"},
		{[]string{"results"}, "noem één ronde", "--publicatie"},
		{[]string{"results", "r1", "--formaat", "csv"}, "onbekende optie -formaat", "--publicatie"},
		{[]string{"results", "r1", "--format"}, "optie -format heeft een waarde nodig", "--publicatie"},
		{[]string{"results", "r1", "--format", "xml"}, `onbekend formaat "xml"`, "--publicatie"},
		{[]string{"results", "r1", "--raw=misschien"}, `ongeldige waarde "misschien" voor optie -raw`, "--publicatie"},
		{[]string{"results", "r1", "--publicatie"}, "--publicatie hoort bij --raw", "--publicatie"},
		{[]string{"decide", "r1"}, "--text BESTAND", "Gebruik: participatiebot decide"},
		{[]string{"decide", "--text", "besluit.txt"}, "noem één ronde", "Gebruik: participatiebot decide"},
		{[]string{"digest", "--month", "2026-11"}, "onbekende optie -month", "Gebruik: participatiebot digest"},
		{[]string{"loting"}, "noem één traject", "Gebruik: participatiebot loting"},
		{[]string{"loting", "goed-goan", "--aantal", "10", "--brieven", "b.pdf"}, "--steekproef BESTAND.csv", "Gebruik: participatiebot loting"},
		{[]string{"loting", "goed-goan", "--steekproef", "brp.csv", "--brieven", "b.pdf"}, "--aantal N", "Gebruik: participatiebot loting"},
		{[]string{"loting", "goed-goan", "--steekproef", "brp.csv", "--aantal", "10"}, "--brieven brieven.pdf", "Gebruik: participatiebot loting"},
		{[]string{"loting", "goed-goan", "--steekproef", "brp.csv", "--aantal", "10", "--brieven", "b.txt"}, "op .pdf eindigt", "Gebruik: participatiebot loting"},
		{[]string{"loting", "goed-goan", "--steekproef", "brp.csv", "--aantal", "10", "--brieven", "b.pdf", "--strata", "wijk"}, `onbekend stratum "wijk"`, "Gebruik: participatiebot loting"},
		{[]string{"loting", "goed-goan", "--steekproef", "brp.csv", "--aantal", "10", "--brieven", "b.pdf", "--seed", "0"}, "--seed 0 kan niet", "Gebruik: participatiebot loting"},
		{[]string{"loting", "goed-goan", "--steekproef", "brp.csv", "--aantal", "veel"}, `ongeldige waarde "veel" voor optie -aantal`, "Gebruik: participatiebot loting"},
		{[]string{"help", "verwijder"}, `onbekend commando "verwijder"`, "Gebruik: participatiebot help"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			env, dataDir := quietEnv(t)
			code, out, errOut := runQuick(t, tc.args, env)
			if code != 2 {
				t.Errorf("exit: got %d, want 2 (stderr %q)", code, errOut)
			}
			if !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, tc.help) {
				t.Errorf("stderr: got %q, want %q and then the help (%q)", errOut, tc.want, tc.help)
			}
			if out != "" {
				t.Errorf("stdout: got %q, want nothing", out)
			}
			if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
				t.Errorf("DATA_DIR %s exists after a refused command line (stat: %v)", dataDir, err)
			}
		})
	}
}

// TestHelpEveryTopic: every command's help, asked for in each way the flag package
// takes it, also where a value or a file name would be, exits 0 with exactly that
// help on stdout: no "flag: help requested", nothing opened, nothing on stderr.
func TestHelpEveryTopic(t *testing.T) {
	for topic, text := range helpTexts {
		if topic == "" {
			continue
		}
		words := strings.Fields(topic)
		for _, ask := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"--help=true"}, {"-h=1"}, {"--", "--help"}, {"x", "--help"}} {
			args := append(append([]string{}, words...), ask...)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				env, dataDir := quietEnv(t)
				code, out, errOut := runQuick(t, args, env)
				if code != 0 || out != text || errOut != "" {
					t.Errorf("got exit %d, stdout %q, stderr %q; want 0 and the help of %q only", code, out, errOut, topic)
				}
				if strings.Contains(out+errOut, "flag:") {
					t.Errorf("got the flag package's English in %q", out+errOut)
				}
				if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
					t.Errorf("DATA_DIR %s exists after --help (stat: %v)", dataDir, err)
				}
			})
		}
	}
	// a value that asks for help
	for _, args := range [][]string{{"decide", "r1", "--text", "--help"}, {"inbound", "-n", "-h"}, {"help", "--", "-h"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			env, _ := quietEnv(t)
			code, out, errOut := runQuick(t, args, env)
			if code != 0 || !strings.HasPrefix(out, "Gebruik:") || errOut != "" {
				t.Errorf("got exit %d, stdout %q, stderr %q; want 0 and the help", code, out, errOut)
			}
		})
	}
}

// TestArgumentLooksLikeAnOption: an argument that looks like an option, also after
// "--", is refused with the command's help: validate does not open it, rounds does
// not look it up.
func TestArgumentLooksLikeAnOption(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"validate", "--", "--strikt"}, `"--strikt" is een optie die hier niet kan; is het een bestand, schrijf dan ./--strikt`},
		{[]string{"validate", "testdata/e2e.yaml", "--", "-x.yaml"}, `"-x.yaml" is een optie die hier niet kan`},
		{[]string{"rounds", "close", "--", "-r1"}, `"-r1" is een optie die hier niet kan`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			env, dataDir := quietEnv(t)
			code, out, errOut := runQuick(t, tc.args, env)
			if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "Gebruik:") {
				t.Errorf("got exit %d, stdout %q, stderr %q; want 2 and %q with the help", code, out, errOut, tc.want)
			}
			if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
				t.Errorf("DATA_DIR %s exists after a refused command line (stat: %v)", dataDir, err)
			}
		})
	}
}

// TestFlagErrorsDutch: what the flag package says is shown in Dutch, never as it is.
func TestFlagErrorsDutch(t *testing.T) {
	tests := []struct{ err, want string }{
		{"flag provided but not defined: -x", "onbekende optie -x"},
		{"flag needs an argument: -n", "optie -n heeft een waarde nodig"},
		{`invalid boolean value "ja" for -raw: parse error`, `ongeldige waarde "ja" voor optie -raw: kies true of false`},
		{`invalid value "veel" for flag -n: parse error`, `ongeldige waarde "veel" voor optie -n: schrijf een getal`},
		{`invalid value "x" for flag -n: value out of range`, `ongeldige waarde "x" voor optie -n`},
		{"bad flag syntax: ---x", "onjuist geschreven optie ---x"},
		{"some message of a newer Go", "deze opties kloppen niet"},
	}
	for _, tc := range tests {
		if got := dutchFlagError(errors.New(tc.err)); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.err, got, tc.want)
		}
	}
}
