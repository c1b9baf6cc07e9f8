package bot

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
)

// Wie van de drie: each triad is drawn when the participant reaches it from the round's
// tallies as they are then: uniformly (surveys.UniformNext, the options shown least),
// or adaptively (surveys.AdaptiveNext) when the question says adaptief: true (see
// README, "Wie van de drie", for why uniform is the default), and kept in the
// session so that "Vorige" and a resumed conversation show it again. Its pick buttons
// carry the triad itself ("p:" in callback.go): a triad drawn again after a crash, from
// tallies that changed meanwhile, may differ from the one in the message the resident
// has, and what is recorded must be what they saw.

// triad is one wie-van-de-drie triad: three option ids.
type triad [3]string

// encodeTriads is the session form of a participant's triads: "a,b,c;d,e,f".
func encodeTriads(ts []triad) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = strings.Join(t[:], ",")
	}
	return strings.Join(parts, ";")
}

func decodeTriads(s string) []triad {
	var out []triad
	for _, p := range strings.Split(s, ";") {
		ids := strings.Split(p, ",")
		if len(ids) != 3 {
			break
		}
		out = append(out, triad{ids[0], ids[1], ids[2]})
	}
	return out
}

// triadSeed seeds the draw of triad ti of a participant's question, so that an update
// handled again after a crash draws the same triad as long as the tallies are the same.
func triadSeed(rid, pid, qid string, ti int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(rid + "\x00" + pid + "\x00" + qid + "\x00" + strconv.Itoa(ti)))
	return h.Sum64()
}

// triadStream is the PCG stream of the draws (any constant: the seed varies).
const triadStream = 0x61646170743a3031 // "adapt:01"

// drawnTriads returns the participant's triads of q drawn so far, cut at the first that
// no longer fits the question (an option taken out of the survey file, fewer triads).
func (rc *roundConv) drawnTriads(q surveys.Question) []triad {
	enc, ok := rc.ss.Triads[q.ID]
	if !ok || enc == "" {
		return nil
	}
	ts := decodeTriads(enc)
	for i, t := range ts {
		if i >= q.Triads || !validTriad(q, t) {
			return ts[:i]
		}
	}
	return ts
}

func validTriad(q surveys.Question, t triad) bool {
	for i, id := range t {
		if optionIndex(q, id) < 0 || slices.Contains(t[:i], id) {
			return false
		}
	}
	return true
}

// triad returns the participant's triad ti of q: the one shown before, or else drawn
// now, together with any before it not drawn yet (a skipped question), and kept.
func (rc *roundConv) triad(ctx context.Context, q surveys.Question, ti int) (triad, error) {
	ts := rc.drawnTriads(q)
	if ti < len(ts) {
		return ts[ti], nil
	}
	counts, err := rc.questionCounts(ctx, q.ID)
	if err != nil {
		return triad{}, fmt.Errorf("draw triad %d of question %s: %w", ti, q.ID, err)
	}
	for i := len(ts); i <= ti; i++ {
		seen := make([][3]string, len(ts))
		for j, t := range ts {
			seen[j] = t
		}
		rng := rand.New(rand.NewPCG(triadSeed(rc.r.ID, rc.pid, q.ID, i), triadStream))
		draw := surveys.UniformNext
		if q.Adaptive {
			draw = surveys.AdaptiveNext
		}
		t, ok := draw(q.Options, counts, seen, rng)
		if !ok {
			return triad{}, fmt.Errorf("draw triad %d of question %s: fewer than three options in the pool", i, q.ID)
		}
		ts = append(ts, t)
	}
	rc.ss.Triads[q.ID] = encodeTriads(ts)
	return ts[ti], nil
}

// questionCounts returns the tallies of one question, reading the round's tallies at
// most once while an update is handled.
func (rc *roundConv) questionCounts(ctx context.Context, qid string) (map[string]int64, error) {
	if rc.tallies == nil {
		m, err := rc.e.store.Tallies(ctx, rc.r.ID)
		if err != nil {
			return nil, err
		}
		rc.tallies = m
	}
	return surveys.QuestionCounts(rc.tallies, qid), nil
}

// keepTriad makes t the participant's triad ti of q: the triad on a pressed button is
// the one they saw, whatever the session held (see the top of this file).
func (rc *roundConv) keepTriad(q surveys.Question, ti int, t triad) {
	ts := rc.drawnTriads(q)
	switch {
	case ti < len(ts) && ts[ti] != t:
		ts[ti] = t
	case ti == len(ts):
		ts = append(ts, t)
	default:
		return
	}
	rc.ss.Triads[q.ID] = encodeTriads(ts)
}

// triadRows are the pick buttons of triad ti (step pos, sub) and the options they show.
func triadRows(pr *lang.Printer, q surveys.Question, code string, pos, sub int, t triad) ([][]Choice, []surveys.Option) {
	listed := make([]surveys.Option, 0, 3)
	var idx [3]int
	for j, id := range t {
		idx[j] = optionIndex(q, id)
		listed = append(listed, q.Options[idx[j]])
	}
	// the three texts on the buttons, one to a row, also when they are long (the text
	// lists them numbered then, and the buttons start with the number): a platform
	// clips a label to what it shows; where buttons are narrow (WhatsApp) the number
	// is the button
	numbered := needsNumbers(listed)
	rows := make([][]Choice, 0, 3)
	for k, o := range listed {
		c := Choice{Label: o.Label, Data: encode("p", code, pos, sub, idx[0], idx[1], idx[2], k), Short: o.Short}
		if numbered {
			c.Label, c.Short = pr.Int(k+1)+". "+Clip(o.Label, longLabel), pr.Int(k+1)
		}
		rows = append(rows, []Choice{c})
	}
	return rows, listed
}

// triadPick records pick k of the triad the button carries (option indexes o).
func (rc *roundConv) triadPick(ctx context.Context, q surveys.Question, qi, ti int, o []int, k int) error {
	if q.Type != surveys.WieVanDeDrie || ti >= q.Triads || k > 2 || len(o) != 3 {
		return rc.sayText(ctx, rc.t("stale"))
	}
	var t triad
	for j, oi := range o {
		if oi >= len(q.Options) {
			return rc.sayText(ctx, rc.t("stale"))
		}
		t[j] = q.Options[oi].ID
	}
	if !validTriad(q, t) {
		return rc.sayText(ctx, rc.t("stale"))
	}
	rc.keepTriad(q, ti, t)
	return rc.recordTriad(ctx, q, qi, ti, t, k)
}

// triadPickKept records pick k of the participant's triad ti as the session holds it:
// the "w:" buttons of messages sent before the buttons carried the triad.
func (rc *roundConv) triadPickKept(ctx context.Context, q surveys.Question, qi, ti, k int) error {
	if q.Type != surveys.WieVanDeDrie || ti >= q.Triads || k > 2 {
		return rc.sayText(ctx, rc.t("stale"))
	}
	t, err := rc.triad(ctx, q, ti)
	if err != nil {
		return err
	}
	return rc.recordTriad(ctx, q, qi, ti, t, k)
}

func (rc *roundConv) recordTriad(ctx context.Context, q surveys.Question, qi, ti int, t triad, k int) error {
	a := surveys.Answer{Winner: t[k]}
	for j, id := range t {
		if j != k {
			a.Losers = append(a.Losers, id)
		}
	}
	if ok, err := rc.record(ctx, q, fmt.Sprintf("%s#%d", q.ID, ti), a); !ok {
		return err
	}
	o, _ := optionByID(q, t[k])
	return rc.settle(ctx, qi, ti, o.Label)
}

// optionIndex is the index of option id in q.Options, or -1.
func optionIndex(q surveys.Question, id string) int {
	return slices.IndexFunc(q.Options, func(o surveys.Option) bool { return o.ID == id })
}
