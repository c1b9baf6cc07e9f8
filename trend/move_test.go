package trend

import (
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestMoveIsSince: the move as figures reads in Dutch exactly as the line Since
// writes, for the first question, an indicator's and a first round's.
func TestMoveIsSince(t *testing.T) {
	sv := burgerpeiling()
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	rs := []Round{round(t, sv, "r1", at, 800, map[string]int{"luistert": 320, "doet": 400}, []int{7}),
		round(t, sv, "r2", at.AddDate(0, 6, 0), 800, map[string]int{"luistert": 400, "doet": 400}, []int{7})}
	check := func(tr *Trend) {
		t.Helper()
		for _, rid := range []string{"r1", "r2"} {
			since, move := tr.Since(rid), tr.Move(rid)
			switch {
			case since == "" && move != nil:
				t.Errorf("%s: a move %+v without a since", rid, move)
			case since == "":
			case move == nil:
				t.Errorf("%s: no move for %q", rid, since)
			default:
				if got, want := move.Text(lang.Dutch()), "Sinds de vorige ronde: "+since+"."; got != want {
					t.Errorf("%s: got %q, want %q", rid, got, want)
				}
			}
		}
	}
	check(Build(sv, rs))
	sv.Indicators = []surveys.Indicator{{Question: "doet", AtLeast: true, Target: 50, Owner: "college"}}
	check(Build(sv, rs))
	if Build(sv, rs).Move("r2") == nil {
		t.Error("r2 has no move")
	}
}
