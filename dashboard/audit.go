package dashboard

import (
	"net/http"
	"time"
)

// auditShown is how many audit entries the audit page lists.
const auditShown = 200

// auditRow is one audit entry as shown.
type auditRow struct {
	Time        time.Time
	When        string
	Who, Action string
}

func (s *server) auditPage(w http.ResponseWriter, r *http.Request) {
	entries, err := s.store.AuditLog(r.Context(), auditShown)
	if err != nil {
		s.serverError(w, r, "load audit log", err)
		return
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{Time: e.Time, When: dutchTime(e.Time, s.cfg.Location), Who: e.Who, Action: e.Action}
	}
	p := s.page(r, "Auditlog")
	p.Data = rows
	s.render(w, http.StatusOK, "audit", p)
}
