package bot

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
)

// roundCharts are the rendered charts of one round's results, stored once
// (storage.PutBlob) and sent by reference.
type roundCharts struct {
	questions []File // one per chartable question, in survey order
	all       []File // questions plus the afspiegeling charts
}

// chartCache renders each round's charts once per process; results are computed
// once per round (publish), so the cache holds the same results for every call.
// It keeps the charts of the last chartCacheRounds rounds only, so that it does not
// grow with every round ever published (a round evicted is rendered again).
type chartCache struct {
	mu     sync.Mutex
	rounds map[string]*roundCharts
	order  []string // round ids, oldest first
}

// chartCacheRounds is how many rounds' charts a process keeps, in each language:
// rounds are published one at a time, so a few are plenty.
var chartCacheRounds = 8 * len(lang.Supported)

func (c *chartCache) put(rid string, rc *roundCharts) {
	if c.rounds == nil {
		c.rounds = map[string]*roundCharts{}
	}
	if _, ok := c.rounds[rid]; !ok {
		c.order = append(c.order, rid)
	}
	c.rounds[rid] = rc
	for len(c.order) > chartCacheRounds {
		delete(c.rounds, c.order[0])
		c.order = c.order[1:]
	}
}

// chartsFor renders and stores the charts of res (round rid), or returns them from
// the cache: the question charts in Dutch and the afspiegeling's. A round with
// fewer respondents than the threshold, or a live tussenstand, has none: a chart is
// its numbers drawn.
func (e *Engine) chartsFor(ctx context.Context, rid string, res *results.Results) (*roundCharts, error) {
	if res.TooFew || res.Live {
		return &roundCharts{}, nil
	}
	e.charts.mu.Lock()
	defer e.charts.mu.Unlock()
	if rc, ok := e.charts.rounds[rid]; ok {
		return rc, nil
	}
	questions, err := e.questionCharts(ctx, rid, res, lang.Dutch())
	if err != nil {
		return nil, err
	}
	rc := &roundCharts{questions: questions, all: append([]File(nil), questions...)}
	afspiegeling, err := charts.AfspiegelingOf(res)
	if err != nil {
		return nil, fmt.Errorf("round %s: %w", rid, err)
	}
	for _, c := range afspiegeling {
		f, err := e.storeChart(ctx, rid, c)
		if err != nil {
			return nil, err
		}
		rc.all = append(rc.all, f)
	}
	e.charts.put(rid, rc)
	return rc, nil
}

// chartsIn are the question charts of res in pr's language, for the residents
// who read it: the Dutch ones of chartsFor, else rendered once per round and
// language from res, the results with the texts of that language
// (results.Results.In).
func (e *Engine) chartsIn(ctx context.Context, rid string, res *results.Results, pr *lang.Printer) ([]File, error) {
	if pr.Lang() == lang.NL {
		rc, err := e.chartsFor(ctx, rid, res)
		if err != nil {
			return nil, err
		}
		return rc.questions, nil
	}
	if res.TooFew || res.Live {
		return nil, nil
	}
	key := rid + "@" + string(pr.Lang())
	e.charts.mu.Lock()
	defer e.charts.mu.Unlock()
	if rc, ok := e.charts.rounds[key]; ok {
		return rc.questions, nil
	}
	questions, err := e.questionCharts(ctx, rid, res, pr)
	if err != nil {
		return nil, err
	}
	e.charts.put(key, &roundCharts{questions: questions})
	return questions, nil
}

// questionCharts renders and stores the chart of every question of res that has
// one, in pr's language (charts.QuestionIn).
func (e *Engine) questionCharts(ctx context.Context, rid string, res *results.Results, pr *lang.Printer) ([]File, error) {
	var out []File
	for _, q := range res.Questions {
		c, ok, err := charts.QuestionIn(pr, q)
		if err != nil {
			return nil, fmt.Errorf("round %s (%s): %w", rid, pr.Lang(), err)
		}
		if !ok {
			continue
		}
		f, err := e.storeChart(ctx, rid, c)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// storeChart stores a chart's PNG once (storage.PutBlob) and gives the file that
// refers to it, with its alt text whole: each channel clips its caption to its
// own Limits.
func (e *Engine) storeChart(ctx context.Context, rid string, c charts.Chart) (File, error) {
	ref, err := e.store.PutBlob(ctx, c.PNG)
	if err != nil {
		return File{}, fmt.Errorf("round %s: chart %s: %w", rid, c.Name, err)
	}
	return File{Name: c.Name, Ref: ref, Alt: c.Alt}, nil
}

// chartAlbums are the album messages of files, in order, MaxAlbum to an album
// (Telegram's sendMediaGroup and a Discord message take 10): one request per album
// instead of one per chart, so that a resident's results stay within the
// platform's per-chat limit, and as many albums as the charts need (residents and
// stuurgroep get every chart).
func chartAlbums(files []File) []Message {
	var out []Message
	for len(files) > 0 {
		n := min(len(files), MaxAlbum)
		out = append(out, Message{Album: append([]File(nil), files[:n]...)})
		files = files[n:]
	}
	return out
}

func chartKey(prefix string, i int) string { return prefix + ":chart:" + strconv.Itoa(i) }
