package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// logged waits until the log holds s at least n times.
func logged(t *testing.T, logs interface{ String() string }, s string, n int) {
	t.Helper()
	testwait.Until(t, 20*time.Second, fmt.Sprintf("%d× %q in the log", n, s), func() (bool, string) {
		l := logs.String()
		return strings.Count(l, s) >= n, l
	})
}

// inUse is the refusal of a second serve on a DATA_DIR held by pid.
func inUse(t *testing.T, dataDir string, pid int) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("DATA_DIR %s is al in gebruik door een andere participatiebot (pid %d); stop die eerst of kies een andere DATA_DIR", abs, pid)
}

func TestSecondServeOnDataDirRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t) // REDIS_URL is set: the DATA_DIR still holds the pseudonym key
	h.serve()
	logged(t, h.logs, "participatiebot running", 1)

	code, _, errOut := runQuick(t, []string{"serve"}, h.env)
	if want := inUse(t, h.env["DATA_DIR"], os.Getpid()); code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("second serve: got exit %d, stderr %q; want exit 1 and %q", code, errOut, want)
	}
	if strings.Contains(errOut, "store:") || strings.Contains(errOut, "level=") {
		t.Errorf("second serve logged before refusing (it opened something): %q", errOut)
	}

	// When the first has stopped, the lock is free.
	h.stop()
	h.serve()
	logged(t, h.logs, "participatiebot running", 2)
}

// TestDataDirLockAfterKill runs the real binary on the embedded store: a second
// serve is refused while it runs; after kill -9 the kernel has dropped the lock, the
// embedded redis-server died with its service (it does not keep the socket), and a
// new serve starts on the same DATA_DIR with the data of the first.
func TestDataDirLockAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in short mode")
	}
	bin := buildBinary(t)
	h := newHarness(t)
	delete(h.env, "REDIS_URL")
	delete(h.env, "TELEGRAM_TOKEN")
	h.env["DEMO_ROUNDS"] = "false"
	dataDir := h.env["DATA_DIR"]
	p1 := h.start(bin)
	logged(t, p1.logs, "participatiebot running", 1)
	if !strings.Contains(p1.logs.String(), "embedded redis-server") {
		t.Fatalf("want the embedded redis-server; log:\n%s", p1.logs.String())
	}
	out := h.cli("rounds", "open", "e2e") // through the running serve's socket
	rid := strings.Fields(out)[1]

	code, _, errOut := runQuick(t, []string{"serve"}, h.env)
	if want := inUse(t, dataDir, p1.cmd.Process.Pid); code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("second serve: got exit %d, stderr %q; want exit 1 and %q", code, errOut, want)
	}

	redisPid, err := strconv.Atoi(strings.TrimSpace(readFile(t, filepath.Join(dataDir, "redis", "redis.pid"))))
	if err != nil {
		t.Fatalf("redis.pid: %v", err)
	}
	p1.kill()
	testwait.Until(t, 10*time.Second, "the embedded redis-server to die with its service", func() (bool, string) {
		state := redistest.ProcState(redisPid)
		return state == "" || state == "Z", "redis-server pid " + strconv.Itoa(redisPid) + " in state " + state
	})

	h.serve()
	logged(t, h.logs, "participatiebot running", 1)
	if list := h.cli("rounds", "list"); !strings.Contains(list, rid) {
		t.Errorf("after the restart rounds list misses %s:\n%s", rid, list)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// get fetches a URL and returns the status and body ("" and the error text when the
// request failed).
func get(url string) (int, string) {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestReadyzFollowsRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.serve()
	base := h.baseURL()
	// ready once every channel runs (a moment after the listener is up)
	testwait.Until(t, 10*time.Second, "/readyz to answer 200 with redis up", func() (bool, string) {
		code, body := get(base + "readyz")
		return code == 200 && body == "ok\n", fmt.Sprintf("%d %q", code, body)
	})

	h.redis.Stop()
	testwait.Until(t, 10*time.Second, "/readyz to answer 503 with redis stopped", func() (bool, string) {
		code, body := get(base + "readyz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "Redis"), fmt.Sprintf("%d %q", code, body)
	})
	if code, body := get(base + "healthz"); code != 200 || body != "ok\n" {
		t.Errorf("healthz with redis down: got %d %q, want 200 \"ok\" (liveness)", code, body)
	}

	restartRedis(t, h.redis.Addr)
	testwait.Until(t, 10*time.Second, "/readyz to answer 200 with redis back", func() (bool, string) {
		code, body := get(base + "readyz")
		return code == 200, fmt.Sprintf("%d %q", code, body)
	})
}

// restartRedis starts a redis-server on the address a stopped one had.
func restartRedis(t *testing.T, addr string) {
	t.Helper()
	host, port, _ := strings.Cut(addr, ":")
	dir := t.TempDir()
	cmd := exec.Command("redis-server", "--port", port, "--bind", host, "--dir", dir, "--save", "",
		"--appendonly", "no", "--logfile", filepath.Join(dir, "redis.log"))
	if err := cmd.Start(); err != nil {
		t.Fatalf("restart redis-server: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	})
}

// cliFails runs a CLI command with env that must fail (exit 1) and returns its stderr.
func (h *harness) cliFails(env map[string]string, args ...string) string {
	h.t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb); code != 1 {
		h.t.Fatalf("participatiebot %s: got exit %d, want 1; stdout %q, stderr %q", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return errb.String()
}

// TestRawExportIDsMatchDashboard: without PSEUDONYM_KEY serve makes DATA_DIR/pseudonym.key;
// the CLI's raw export loads that same key (never an empty one), so its export ids
// are the dashboard's for the same round; without any key the CLI refuses.
func TestRawExportIDsMatchDashboard(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	delete(h.env, "PSEUDONYM_KEY")
	h.env["DASHBOARD_USERS"] = "anna:geheim-wachtwoord"
	h.serve()
	base := h.baseURL()
	keyFile := filepath.Join(h.env["DATA_DIR"], "pseudonym.key")
	if key := strings.TrimSpace(readFile(t, keyFile)); len(key) != 64 {
		t.Fatalf("serve made pseudonym.key %q, want 64 hex digits", key)
	}
	exp := newExpect(loadE2E(t))
	const n = 3
	residents := make([]*resident, n)
	parallel(t, n, func(i int) error {
		residents[i] = h.resident(int64(4000 + i))
		return residents[i].join(ageLabels[i%4], kernen[i%6])
	})
	rid := strings.Fields(h.cli("rounds", "open", "e2e"))[1]
	parallel(t, n, func(i int) error { return answerRound(residents[i], i, exp, nil) })
	h.cli("rounds", "close", rid)

	dash := dashboardGet(t, base, "dashboard/rounds/"+rid+"/antwoorden.csv")
	cli := h.cli("results", rid, "--raw", "--format", "csv")
	if cli != dash {
		t.Errorf("raw export: CLI and dashboard differ\nCLI:\n%s\ndashboard:\n%s", cli, dash)
	}
	rows := readDutchCSV(t, cli)
	if rows[0][1] != "deelnemer" {
		t.Fatalf("raw export csv: header %q, want the Dutch one", rows[0])
	}
	ids := map[string]bool{}
	for _, row := range rows[1:] {
		ids[row[1]] = true
	}
	if len(ids) != n {
		t.Errorf("raw export: got %d respondents %v, want %d", len(ids), ids, n)
	}

	// Another DATA_DIR without a key: refused, and no key made there.
	other := map[string]string{}
	for k, v := range h.env {
		other[k] = v
	}
	other["DATA_DIR"] = t.TempDir()
	errOut := h.cliFails(other, "results", rid, "--raw")
	if !strings.Contains(errOut, "geen schuilnaamsleutel gevonden") {
		t.Errorf("without a key: got %q, want the refusal", errOut)
	}
	if _, err := os.Stat(filepath.Join(other["DATA_DIR"], "pseudonym.key")); !os.IsNotExist(err) {
		t.Errorf("the CLI made a pseudonym key (stat: %v); only serve may", err)
	}
	// The same key named in PSEUDONYM_KEY_FILE gives the same ids.
	other["PSEUDONYM_KEY_FILE"] = keyFile
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"results", rid, "--raw"}, func(k string) string { return other[k] }, &out, &errb); code != 0 || out.String() != dash {
		t.Errorf("with PSEUDONYM_KEY_FILE: exit %d, stderr %q; output equals the dashboard's: %v", code, errb.String(), out.String() == dash)
	}
}

// dashboardGet logs in as anna and fetches a dashboard page.
func dashboardGet(t *testing.T, base, path string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := c.PostForm(base+"dashboard/login", map[string][]string{"name": {"anna"}, "password": {"geheim-wachtwoord"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}
