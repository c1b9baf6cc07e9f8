package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/panel"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

var lotingKernen = []string{"Dalfsen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen", "Ankum"}

// writeRegister writes a synthetic register extract of n addresses over the Dalfsen
// kernen with ages 0–95 and returns its path.
func writeRegister(t *testing.T, dir string, n int) string {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("adres;kern;leeftijd\n")
	for i := range n {
		kern := lotingKernen[min(r.IntN(10), 5)] // Dalfsen the largest, as it is
		fmt.Fprintf(&b, "Straatweg %d, 77%02d AB %s;%s;%d\n", i+1, i%100, kern, kern, r.IntN(96))
	}
	path := filepath.Join(dir, "brp.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runCLI runs a command line and returns its exit code, stdout and stderr.
func runCLI(env map[string]string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

// printedAllocation reads the strata table of loting's summary.
var allocationRow = regexp.MustCompile(`(?m)^\s+(\S+\|\S+)\s+([\d.]+)\s+([\d.]+)$`)

func printedAllocation(t *testing.T, out string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	for _, m := range allocationRow.FindAllStringSubmatch(out, -1) {
		n, err := strconv.ParseInt(strings.ReplaceAll(m[3], ".", ""), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		got[m[1]] = n
	}
	return got
}

func pdfPages(t *testing.T, path string) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Log("pdfinfo not installed (poppler-utils): page count not checked")
		return -1
	}
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count in %q", path, out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestLotingCommand: a draw writes one letter per address, stores the invited per
// stratum as printed, and is refused the second time without counting anything
// twice; an unknown trajectory, a bad register and a sample larger than the
// population are refused in Dutch with no PDF and nothing stored.
func TestLotingCommand(t *testing.T) {
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer rdb.Close()
	st := storage.New(rdb)
	ctx := context.Background()
	dir := t.TempDir()
	reg := writeRegister(t, dir, 3000)
	env := map[string]string{"REDIS_URL": srv.URL(), "PSEUDONYM_KEY": "test-key", "SURVEYS_DIR": "../../examples",
		"DATA_DIR": filepath.Join(dir, "data"), "PUBLIC_URL": "https://praatmee.dalfsen.nl", "TELEGRAM_BOT_USERNAME": "DalfsenPraatMeeBot"}
	letters := filepath.Join(dir, "brieven.pdf")
	const n = 120
	args := []string{"loting", "goed-goan", "--steekproef", reg, "--aantal", strconv.Itoa(n), "--strata", "kern,leeftijd",
		"--seed", "20270201", "--verloopt", "2099-12-31", "--brieven", letters}

	code, out, errOut := runCLI(env, args...)
	if code != 0 {
		t.Fatalf("exit: got %d, want 0; stderr:\n%s", code, errOut)
	}
	for _, want := range []string{"Seed: 20270201", "Brieven: " + letters + " (120 brieven)", "Verwijder na het printen het bevolkingsbestand en de PDF",
		"## Verantwoording van de loting", "Telegram en de webchat"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary: got\n%s\nwant it to contain %q", out, want)
		}
	}
	if pages := pdfPages(t, letters); pages != -1 && pages != n {
		t.Errorf("pages: got %d, want %d", pages, n)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	printed := printedAllocation(t, out)
	invited, err := st.PanelInvited(ctx, "goed-goan")
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for k, v := range invited {
		sum += v
		if printed[k] != v {
			t.Errorf("stratum %s: got %d invited in Redis, want %d as printed", k, v, printed[k])
		}
	}
	if sum != n || len(invited) != len(printed) || len(printed) != 4*len(lotingKernen) {
		t.Errorf("invited: got %d over %d strata (printed %d), want %d over %d", sum, len(invited), len(printed), n, 4*len(lotingKernen))
	}
	codes := len(rdb.Keys(ctx, "pb:pc:*").Val())
	if codes != n {
		t.Errorf("stored codes: got %d, want %d", codes, n)
	}
	audits, err := st.PanelAudits(ctx, "goed-goan")
	if err != nil || len(audits) != 1 {
		t.Fatalf("audits: got %v (%v), want one", audits, err)
	}
	for _, a := range audits {
		if strings.Contains(a, "Straatweg") {
			t.Errorf("the audit holds an address: %s", a)
		}
	}

	t.Run("the same draw again", func(t *testing.T) {
		again := filepath.Join(dir, "opnieuw.pdf")
		a := append(append([]string{}, args[:len(args)-1]...), again)
		code, out, errOut := runCLI(env, a...)
		if code != 1 || !strings.Contains(strings.ToLower(errOut), "deze loting is al opgeslagen (zelfde seed en bestand)") {
			t.Errorf("got exit %d, stderr %q; want 1 and that the draw was saved before", code, errOut)
		}
		if out != "" {
			t.Errorf("stdout: got %q, want nothing", out)
		}
		if _, err := os.Stat(again); !os.IsNotExist(err) {
			t.Errorf("%s: got %v, want no PDF", again, err)
		}
		now, _ := st.PanelInvited(ctx, "goed-goan")
		if fmt.Sprint(now) != fmt.Sprint(invited) || len(rdb.Keys(ctx, "pb:pc:*").Val()) != codes {
			t.Errorf("after the refusal: got invited %v and %d codes, want %v and %d", now, len(rdb.Keys(ctx, "pb:pc:*").Val()), invited, codes)
		}
	})

	bad := filepath.Join(dir, "met-namen.csv")
	if err := os.WriteFile(bad, []byte("adres;kern;leeftijd;naam\nDorpsstraat 1;Dalfsen;40;Jansen\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"unknown trajectory", []string{"loting", "goed-gaan", "--steekproef", reg, "--aantal", "10"}, []string{`Traject "goed-gaan" bestaat niet`, "goed-goan"}},
		{"a register with a name column", []string{"loting", "goed-goan", "--steekproef", bad, "--aantal", "1"}, []string{"bevolkingsbestand", `"naam"`}},
		{"no register", []string{"loting", "goed-goan", "--steekproef", filepath.Join(dir, "weg.csv"), "--aantal", "1"}, []string{"dit bestand bestaat niet"}},
		{"more than can be drawn", []string{"loting", "goed-goan", "--steekproef", reg, "--aantal", "3000"}, []string{"groter dan de", "inwoners die geloot kunnen worden"}},
		{"expired", []string{"loting", "goed-goan", "--steekproef", reg, "--aantal", "10", "--verloopt", "2020-01-31"}, []string{"al voorbij"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := rdb.DBSize(ctx).Val()
			pdf := filepath.Join(dir, fmt.Sprintf("fout-%d.pdf", i))
			code, out, errOut := runCLI(env, append(tc.args, "--brieven", pdf)...)
			if code != 1 {
				t.Errorf("exit: got %d, want 1 (stderr %q)", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr: got %q, want it to contain %q", errOut, w)
				}
			}
			if strings.Contains(errOut, "Straatweg") || strings.Contains(errOut, "Dorpsstraat") {
				t.Errorf("stderr names an address: %q", errOut)
			}
			if out != "" {
				t.Errorf("stdout: got %q, want nothing", out)
			}
			if _, err := os.Stat(pdf); !os.IsNotExist(err) {
				t.Errorf("%s: got %v, want no PDF", pdf, err)
			}
			if after := rdb.DBSize(ctx).Val(); after != before {
				t.Errorf("keys in Redis: got %d, want %d as before", after, before)
			}
		})
	}
}

// TestLotingLetterFiles: up to panel.MaxLetters letters go into the file named,
// more into numbered parts of at most MaxLetters each.
func TestLotingLetterFiles(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "b/brieven.pdf"},
		{panel.MaxLetters, "b/brieven.pdf"},
		{panel.MaxLetters + 1, "b/brieven-1.pdf b/brieven-2.pdf"},
		{3 * panel.MaxLetters, "b/brieven-1.pdf b/brieven-2.pdf b/brieven-3.pdf"},
	}
	for _, tc := range tests {
		if got := strings.Join(letterFiles("b/brieven.pdf", tc.n), " "); got != tc.want {
			t.Errorf("%d letters: got %q, want %q", tc.n, got, tc.want)
		}
	}
}
