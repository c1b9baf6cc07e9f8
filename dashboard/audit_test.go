package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
)

// TestAuditSurvivesFailedLoginFlood: 20,000 failed logins from 2,500 addresses, for
// two users and many names that are no user, leave every organiser action on the
// audit page; the security log counts them per name and address, keeps at most
// SecurityMaxAddrs addresses, and nothing typed in the name field that is not a
// user's name is stored anywhere in Redis.
func TestAuditSurvivesFailedLoginFlood(t *testing.T) {
	h := newHarness(t)
	anna := h.login("anna", "geheim")
	if w := h.post("/dashboard/rounds/open", anna, url.Values{"survey": {"peiling"}, "csrf": {h.csrf(anna)}}); w.Code != 303 {
		t.Fatalf("open round: got %v, want 303", w.Code)
	}
	bert := h.login("bert", "ook-geheim")
	if w := h.post("/dashboard/logout", bert, url.Values{"csrf": {h.csrf(bert)}}); w.Code != 303 {
		t.Fatalf("logout: got %v, want 303", w.Code)
	}
	before := h.auditActions()
	if len(before) != 4 {
		t.Fatalf("audit before the flood: got %v, want 4 actions", before)
	}

	const tries, addrs = 20000, 2500
	start := time.Now()
	for i := range tries {
		addr := fmt.Sprintf("10.%d.%d.%d", i%addrs/65536, i%addrs/256%256, i%addrs%256)
		var name string
		switch i % 4 {
		case 0:
			name = "anna"
		case 1:
			name = "bert"
		case 2:
			name = fmt.Sprintf("gast-%d", i)
		default:
			name = fmt.Sprintf("Wachtwoord!%d", i) // a password typed in the name field
		}
		w := loginFrom(h.handler, addr, name, "fout")
		if w.Code != 401 && w.Code != 429 {
			t.Fatalf("try %d: got %v, want 401 or 429", i, w.Code)
		}
	}
	t.Logf("%d failed logins in %v", tries, time.Since(start).Round(time.Millisecond))

	if got := h.auditActions(); !slices.Equal(got, before) {
		t.Errorf("audit after the flood: got %v, want %v", got, before)
	}
	w := h.get("/dashboard/audit", anna)
	body := w.Body.String()
	for _, a := range before {
		who, action, _ := strings.Cut(a, ": ")
		if !strings.Contains(body, ">"+who+"</th><td class=\"text\">"+action+"<") {
			t.Errorf("audit page: no row %q", a)
		}
	}
	if strings.Contains(body, "inloggen mislukt") {
		t.Errorf("audit page lists failed logins as actions")
	}

	day, err := h.store.FailedLogins(context.Background(), []string{h.now.Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	d := day[0]
	if d.Tries != tries {
		t.Errorf("security log tries: got %d, want %d", d.Tries, tries)
	}
	wantNames := map[string]int64{"anna": tries / 4, "bert": tries / 4, storage.UnknownName: tries / 2}
	if len(d.Names) != len(wantNames) {
		t.Errorf("security log names: got %+v, want %v", d.Names, wantNames)
	}
	for _, n := range d.Names {
		if n.Tries != wantNames[n.Name] {
			t.Errorf("security log %s: got %d tries, want %d", n.Name, n.Tries, wantNames[n.Name])
		}
		if n.Addrs > storage.SecurityMaxAddrs || !n.OtherMore {
			t.Errorf("security log %s: got %d addresses (more: %v), want at most %d and more", n.Name, n.Addrs, n.OtherMore, storage.SecurityMaxAddrs)
		}
	}
	var sum int64
	for _, a := range d.Addrs {
		sum += a.Tries
	}
	if len(d.Addrs) != storage.SecurityMaxAddrs+1 || d.Addrs[len(d.Addrs)-1].Addr != storage.OtherAddrs || sum != tries {
		t.Errorf("security log addresses: got %d (last %v, sum %d), want %d and %s, sum %d",
			len(d.Addrs), d.Addrs[len(d.Addrs)-1], sum, storage.SecurityMaxAddrs, storage.OtherAddrs, tries)
	}
	// 2,500 addresses in order: the first 100 are kept, a quarter of them anna's.
	for _, want := range []string{"5.000 mislukte pogingen voor naam anna vandaag, van meer dan 25 adressen.",
		"10.000 mislukte pogingen voor namen die geen gebruiker zijn vandaag, van meer dan 50 adressen.",
		"<th scope=\"row\">overige adressen</th><td class=\"num\">19.200</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit page: no %q", want)
		}
	}

	// Nothing typed as a name that is no user's is kept: scan every key and value.
	if found := redistest.Find(t, h.store.Client(), "gast-", "Wachtwoord!"); len(found) > 0 {
		t.Fatalf("Redis holds typed names:\n%s", strings.Join(found, "\n"))
	}
}

// TestAuditPagePaging: the page lists the newest auditShown actions and links to
// the older ones, which follow on without a gap or a repeat.
func TestAuditPagePaging(t *testing.T) {
	h := newHarness(t)
	c := h.login("anna", "geheim") // "ingelogd" is the oldest entry
	const n = auditShown + 50
	for i := range n {
		h.srv.audit(context.Background(), "anna", fmt.Sprintf("handeling %03d", i))
	}
	row := regexp.MustCompile(`<td class="text">([^<]+)</td>`)
	older := regexp.MustCompile(`href="/dashboard/audit\?voor=([0-9-]+)"`)
	var seen []string
	path := "/dashboard/audit"
	for page := 0; path != ""; page++ {
		if page > 3 {
			t.Fatalf("more pages than expected")
		}
		w := h.get(path, c)
		if w.Code != 200 {
			t.Fatalf("%s: got %v, want 200", path, w.Code)
		}
		rows := row.FindAllStringSubmatch(w.Body.String(), -1)
		if page == 0 && len(rows) != auditShown {
			t.Errorf("first page: got %d rows, want %d", len(rows), auditShown)
		}
		for _, m := range rows {
			seen = append(seen, m[1])
		}
		path = ""
		if m := older.FindStringSubmatch(w.Body.String()); m != nil {
			path = "/dashboard/audit?voor=" + m[1]
		}
	}
	want := []string{}
	for i := n - 1; i >= 0; i-- {
		want = append(want, fmt.Sprintf("handeling %03d", i))
	}
	want = append(want, "ingelogd")
	if !slices.Equal(seen, want) {
		t.Errorf("pages: got %d rows (%v … %v), want %d (%v … %v)", len(seen), seen[0], seen[len(seen)-1], len(want), want[0], want[len(want)-1])
	}
	if w := h.get("/dashboard/audit?voor=12-0", c); w.Code != 400 {
		t.Errorf("a broken cursor: got %v, want 400", w.Code)
	}
}

// TestAuditPageRetention: an action older than the retention is not shown, and the
// next action removes it from Redis.
func TestAuditPageRetention(t *testing.T) {
	h := newHarness(t)
	h.srv.audit(context.Background(), "anna", "lang geleden")
	h.now = h.now.Add(h.srv.cfg.AuditRetention + time.Hour)
	c := h.login("anna", "geheim")
	w := h.get("/dashboard/audit", c)
	if strings.Contains(w.Body.String(), "lang geleden") {
		t.Errorf("the audit page shows an action older than the retention")
	}
	if !strings.Contains(w.Body.String(), "2 jaar bewaard") {
		t.Errorf("the audit page does not say how long actions are kept")
	}
	if got := h.auditActions(); !slices.Equal(got, []string{"anna: ingelogd"}) {
		t.Errorf("audit log: got %v, want only the new login", got)
	}
}
