package deploy

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/redis/go-redis/v9"
	"gopkg.in/yaml.v3"
)

// compose is the part of a compose file the checks read.
type compose struct {
	Services map[string]service `yaml:"services"`
	Secrets  map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
	Volumes  map[string]any `yaml:"volumes"`
	Networks map[string]struct {
		IPAM struct {
			Config []struct {
				Subnet string `yaml:"subnet"`
			} `yaml:"config"`
		} `yaml:"ipam"`
	} `yaml:"networks"`
}

type service struct {
	Image       string            `yaml:"image"`
	Build       map[string]string `yaml:"build"`
	Command     []string          `yaml:"command"`
	Entrypoint  []string          `yaml:"entrypoint"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	Secrets     []string          `yaml:"secrets"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	Networks map[string]struct {
		IPv4 string `yaml:"ipv4_address"`
	} `yaml:"networks"`
}

func load(t *testing.T) compose {
	t.Helper()
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	// yaml.v3 resolves the anchors and merge keys (<<) as compose does
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return c
}

func names(c compose, prefix string) []string {
	var out []string
	for name := range c.Services {
		if regexp.MustCompile(`^` + prefix + `-[0-9]+$`).MatchString(name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func TestComposeRedisCluster(t *testing.T) {
	c := load(t)
	nodes := names(c, "redis")
	if len(nodes) != 6 {
		t.Fatalf("redis nodes: got %v, want 6 (3 masters, 3 replicas)", nodes)
	}
	ips := map[string]bool{}
	for _, n := range nodes {
		s := c.Services[n]
		cmd := strings.Join(s.Command, " ")
		for _, want := range []string{"--cluster-enabled yes", "--appendonly yes", "--dir /data", "--port 6379", "--cluster-announce-hostname " + n} {
			if !strings.Contains(cmd, want) {
				t.Errorf("%s: command %q lacks %q", n, cmd, want)
			}
		}
		if s.Image != "redis:7" {
			t.Errorf("%s: image %q, want redis:7", n, s.Image)
		}
		if !slices.Contains(s.Volumes, n+":/data") || c.Volumes[n] != nil || !hasKey(c.Volumes, n) {
			t.Errorf("%s: volumes %v, want the named volume %s on /data", n, s.Volumes, n)
		}
		if !strings.Contains(strings.Join(s.Healthcheck.Test, " "), "redis-cli ping") {
			t.Errorf("%s: healthcheck %v, want redis-cli ping", n, s.Healthcheck.Test)
		}
		ip := s.Networks["default"].IPv4
		if ip == "" || ips[ip] {
			t.Errorf("%s: address %q, want a fixed one of its own", n, ip)
		}
		ips[ip] = true
	}
	init := c.Services["redis-init"]
	if got := strings.Join(init.Entrypoint, " "); got != "sh /redis-init.sh" || !slices.Contains(init.Volumes, "./redis-init.sh:/redis-init.sh:ro") {
		t.Errorf("redis-init: entrypoint %q, volumes %v, want sh /redis-init.sh mounted from ./redis-init.sh", got, init.Volumes)
	}
	var want []string
	for _, n := range nodes {
		want = append(want, n+":6379")
		if init.DependsOn[n].Condition != "service_healthy" {
			t.Errorf("redis-init: depends on %s %q, want service_healthy", n, init.DependsOn[n].Condition)
		}
	}
	if got := strings.Fields(init.Environment["REDIS_NODES"]); !slices.Equal(got, want) {
		t.Errorf("REDIS_NODES: got %v, want %v", got, want)
	}
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

func TestComposeReplicas(t *testing.T) {
	c := load(t)
	bots := names(c, "bot")
	if len(bots) != 3 {
		t.Fatalf("replicas: got %v, want 3", bots)
	}
	known := settings(t)
	first := c.Services[bots[0]].Environment
	ids := map[string]bool{}
	for _, n := range bots {
		s := c.Services[n]
		env := s.Environment
		for _, k := range []string{"REDIS_URL", "PSEUDONYM_KEY_FILE", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_TOKEN_FILE", "PUBLIC_URL", "TRUSTED_PROXIES"} {
			if env[k] == "" || env[k] != first[k] {
				t.Errorf("%s: %s = %q, want it set and the same as %s's %q", n, k, env[k], bots[0], first[k])
			}
		}
		if id := env["REPLICA_ID"]; id == "" || ids[id] {
			t.Errorf("%s: REPLICA_ID %q, want one of its own", n, id)
		}
		ids[env["REPLICA_ID"]] = true
		if env["HTTP_ADDR"] != ":8080" {
			t.Errorf("%s: HTTP_ADDR %q, want :8080", n, env["HTTP_ADDR"])
		}
		for k := range env {
			if !known[strings.TrimSuffix(k, "_FILE")] {
				t.Errorf("%s: %s is no setting of cmd/participatiebot/config.go", n, k)
			}
		}
		if s.Build["context"] != ".." || s.Build["dockerfile"] != "Dockerfile" {
			t.Errorf("%s: build %v, want the repository's Dockerfile", n, s.Build)
		}
		if len(s.Ports) > 0 {
			t.Errorf("%s: ports %v, want none (only the proxy is public; /metrics stays inside)", n, s.Ports)
		}
		if hc := strings.Join(s.Healthcheck.Test, " "); !strings.Contains(hc, "http://127.0.0.1:8080/readyz") {
			t.Errorf("%s: healthcheck %q, want /readyz", n, hc)
		}
		if s.DependsOn["redis-init"].Condition != "service_completed_successfully" {
			t.Errorf("%s: want it to start after redis-init made the cluster", n)
		}
		for _, sec := range s.Secrets {
			if _, ok := c.Secrets[sec]; !ok {
				t.Errorf("%s: secret %s is not declared", n, sec)
			}
			if !strings.Contains(strings.Join(envValues(env), " "), "/run/secrets/"+sec) {
				t.Errorf("%s: secret %s is given but no *_FILE names it", n, sec)
			}
		}
	}
	if _, err := os.Stat("../Dockerfile"); err != nil {
		t.Errorf("the build's Dockerfile: %v", err)
	}
	if _, ok := c.Secrets["pseudonym_key"]; !ok || first["PSEUDONYM_KEY_FILE"] != "/run/secrets/pseudonym_key" {
		t.Errorf("PSEUDONYM_KEY_FILE %q, want the compose secret pseudonym_key", first["PSEUDONYM_KEY_FILE"])
	}
	// storage.Open reads a URL with addr parameters as a cluster (ParseClusterURL)
	opt, err := redis.ParseClusterURL(first["REDIS_URL"])
	if err != nil {
		t.Fatalf("REDIS_URL %q: %v", first["REDIS_URL"], err)
	}
	var want []string
	for _, n := range names(c, "redis") {
		want = append(want, n+":6379")
	}
	if got := slices.Sorted(slices.Values(opt.Addrs)); !slices.Equal(got, want) {
		t.Errorf("REDIS_URL's nodes: got %v, want %v", got, want)
	}
	if !strings.HasPrefix(first["TELEGRAM_WEBHOOK_URL"], "https://${PUBLIC_HOST") || !strings.HasSuffix(first["TELEGRAM_WEBHOOK_URL"], "/telegram/webhook") {
		t.Errorf("TELEGRAM_WEBHOOK_URL %q, want https://PUBLIC_HOST/telegram/webhook", first["TELEGRAM_WEBHOOK_URL"])
	}
}

func envValues(env map[string]string) []string {
	var out []string
	for _, v := range env {
		out = append(out, v)
	}
	return out
}

// settings are the environment variables cmd/participatiebot/config.go reads.
func settings(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../cmd/participatiebot/config.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`getenv(?:\(|, )"([A-Z_]+)"`).FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = true
	}
	if !out["REDIS_URL"] || !out["PSEUDONYM_KEY"] {
		t.Fatalf("read no settings from config.go: %v", out)
	}
	return out
}

func TestComposeProxy(t *testing.T) {
	c := load(t)
	var public []string
	for name, s := range c.Services {
		if len(s.Ports) > 0 {
			public = append(public, name)
		}
	}
	if !slices.Equal(public, []string{"proxy"}) || !slices.Equal(c.Services["proxy"].Ports, []string{"443:443"}) {
		t.Errorf("services with ports: %v (proxy %v), want only the proxy on 443", public, c.Services["proxy"].Ports)
	}
	proxy := c.Services["proxy"]
	if ip := proxy.Networks["default"].IPv4; ip == "" || c.Services["bot-1"].Environment["TRUSTED_PROXIES"] != ip {
		t.Errorf("TRUSTED_PROXIES %q, want the proxy's address %q", c.Services["bot-1"].Environment["TRUSTED_PROXIES"], ip)
	}
	if !slices.Contains(proxy.Volumes, "./Caddyfile:/etc/caddy/Caddyfile:ro") {
		t.Errorf("proxy volumes %v, want ./Caddyfile mounted", proxy.Volumes)
	}
	b, err := os.ReadFile("Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	cf := string(b)
	for _, want := range []string{"@metrics path /metrics /metrics/*", "respond @metrics 404", "reverse_proxy bot-1:8080 bot-2:8080 bot-3:8080", "health_uri /readyz"} {
		if !strings.Contains(cf, want) {
			t.Errorf("Caddyfile lacks %q", want)
		}
	}
	if strings.Count(cf, "{")-strings.Count(cf, "{$") != strings.Count(cf, "}")-strings.Count(cf, "{$") {
		t.Errorf("Caddyfile: unbalanced braces")
	}
}

// TestRedisInitScript runs redis-init.sh (as the redis-init service does) against
// six empty cluster-mode redis-servers: it makes the cluster of 3 masters with a
// replica each, and a second run leaves it as it is.
func TestRedisInitScript(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Fatalf("sh is needed to run redis-init.sh as the redis-init service does: %v", err)
	}
	// a cluster from the shared helper, taken apart into six empty nodes
	cl := redistest.StartCluster(t, 3, 1)
	ctx := context.Background()
	for _, a := range cl.Addrs() {
		rdb := redis.NewClient(&redis.Options{Addr: a})
		if err := rdb.FlushAll(ctx).Err(); err != nil && !strings.Contains(err.Error(), "READONLY") {
			t.Fatal(err)
		}
		if err := rdb.ClusterResetHard(ctx).Err(); err != nil {
			t.Fatalf("cluster reset %s: %v", a, err)
		}
		rdb.Close()
	}
	run := func() string {
		t.Helper()
		cmd := exec.Command("sh", "redis-init.sh")
		cmd.Env = append(os.Environ(), "REDIS_NODES="+strings.Join(cl.Addrs(), " "))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("redis-init.sh: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := run(); !strings.Contains(out, "het cluster is ok") || !strings.Contains(out, "All 16384 slots covered") {
		t.Fatalf("first run: %s", out)
	}
	// the replicas' roles reach every node by gossip, shortly after create
	one := redis.NewClient(&redis.Options{Addr: cl.Addrs()[0]})
	defer one.Close()
	var masters, replicas int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		nodes := one.ClusterNodes(ctx).Val()
		masters, replicas = strings.Count(nodes, "master"), strings.Count(nodes, "slave")
		if masters == 3 && replicas == 3 {
			break
		}
	}
	if err := cl.Client(t).Set(ctx, "{r:x}:k", "v", 0).Err(); err != nil || masters != 3 || replicas != 3 {
		t.Errorf("got %d masters, %d replicas, a write: %v; want 3, 3, nil", masters, replicas, err)
	}
	if out := run(); !strings.Contains(out, "bestaat al (6 knopen)") {
		t.Errorf("second run: got %q, want it to leave the cluster", out)
	}
}
