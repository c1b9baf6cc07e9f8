package dashboard

import (
	"net/http"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

const (
	// auditShown is how many audit entries one page of the audit page lists.
	auditShown = 200
	// securityDays is how many days of the security log the audit page shows.
	securityDays = 7
	// securityAddrsShown is how many of today's addresses the audit page lists.
	securityAddrsShown = 20
)

// auditRow is one audit entry as shown.
type auditRow struct {
	Time        time.Time
	When        string
	Who, Action string
}

// auditData is the audit page: one page of organiser actions, newest first, and the
// security log of the last days.
type auditData struct {
	Rows []auditRow
	// Older is the cursor of the next, older page; "" when this is the last.
	Older string
	// Paged is set on every page but the first.
	Paged bool
	// Retention says how long entries are kept ("2 jaar").
	Retention string
	// PageSize is how many entries a page holds at most.
	PageSize int
	Security securityView
}

// securityView is the security log as shown: failed logins per day and name, and
// today's addresses.
type securityView struct {
	// Today is one sentence per name for today.
	Today []string
	Rows  []securityRow
	Addrs []addrRow
	// MoreAddrs is how many of today's addresses are left out of Addrs.
	MoreAddrs int
	MaxAddrs  int
}

// addrRow is one of today's addresses; Other marks the bucket of the addresses
// beyond the cap.
type addrRow struct {
	Addr  string
	Tries int64
	Other bool
}

// securityRow is one day and name of the security log.
type securityRow struct {
	Day, Name, Tries, Addrs string
}

func (s *server) auditPage(w http.ResponseWriter, r *http.Request) {
	s.migrateAudit(r.Context())
	q := storage.AuditQuery{N: auditShown + 1, Since: s.now().Add(-s.cfg.AuditRetention)}
	if v := r.URL.Query().Get("voor"); v != "" {
		c, err := storage.ParseAuditCursor(v)
		if err != nil {
			s.errorPage(w, r, http.StatusBadRequest, "Deze pagina van het auditlog bestaat niet.")
			return
		}
		q.Before = c
	}
	entries, err := s.store.AuditPage(r.Context(), q)
	if err != nil {
		s.serverError(w, r, "load audit log", err)
		return
	}
	data := auditData{Paged: !q.Before.IsZero(), Retention: dutchRetention(s.cfg.AuditRetention), PageSize: auditShown}
	if len(entries) > auditShown {
		entries = entries[:auditShown]
		data.Older = storage.CursorOf(entries[auditShown-1]).String()
	}
	data.Rows = make([]auditRow, len(entries))
	for i, e := range entries {
		data.Rows[i] = auditRow{Time: e.Time, When: dutchTime(e.Time, s.cfg.Location), Who: e.Who, Action: e.Action}
	}
	if data.Security, err = s.securityView(r); err != nil {
		s.serverError(w, r, "load security log", err)
		return
	}
	p := s.page(r, "Auditlog")
	p.Data = data
	s.render(w, http.StatusOK, "audit", p)
}

// securityView loads the security log of the last securityDays days.
func (s *server) securityView(r *http.Request) (securityView, error) {
	today := s.now().In(s.cfg.Location)
	days := make([]string, securityDays)
	for i := range days {
		days[i] = today.AddDate(0, 0, -i).Format(time.DateOnly)
	}
	log, err := s.store.FailedLogins(r.Context(), days)
	if err != nil {
		return securityView{}, err
	}
	v := securityView{MaxAddrs: storage.SecurityMaxAddrs}
	for i, d := range log {
		at, _ := time.Parse(time.DateOnly, d.Day)
		day := dutchDate(at)
		if i == 0 {
			day = "vandaag"
		}
		for _, n := range d.Names {
			addrs := plural(n.Addrs, "adres", "adressen")
			if n.OtherMore {
				addrs = "meer dan " + addrs
			}
			v.Rows = append(v.Rows, securityRow{Day: day, Name: n.Name, Tries: dutchInt(n.Tries), Addrs: addrs})
			if i == 0 {
				who := "voor naam " + n.Name
				if n.Name == storage.UnknownName {
					who = "voor namen die geen gebruiker zijn"
				}
				v.Today = append(v.Today, plural(n.Tries, "mislukte poging", "mislukte pogingen")+
					" "+who+" vandaag, van "+addrs+".")
			}
		}
	}
	var other *addrRow
	for _, a := range log[0].Addrs {
		switch {
		case a.Addr == storage.OtherAddrs:
			other = &addrRow{Addr: a.Addr, Tries: a.Tries, Other: true}
		case len(v.Addrs) < securityAddrsShown:
			v.Addrs = append(v.Addrs, addrRow{Addr: a.Addr, Tries: a.Tries})
		default:
			v.MoreAddrs++
		}
	}
	if other != nil {
		v.Addrs = append(v.Addrs, *other)
	}
	return v, nil
}

// plural writes "1 adres", "5 adressen".
func plural(n int64, one, more string) string {
	if n == 1 {
		return "1 " + one
	}
	return dutchInt(n) + " " + more
}

// dutchRetention writes a retention as "2 jaar" when it is whole years, else as a
// duration ("90 dagen").
func dutchRetention(d time.Duration) string {
	const year = 365 * 24 * time.Hour
	if d >= year && d%year == 0 {
		return dutchInt(int64(d/year)) + " jaar"
	}
	return dutchDuration(d)
}
