package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

// verslagCmd writes the participatieverslag of a trajectory as Markdown, HTML and
// PDF files (VERSLAG.md, .html, .pdf in --out), from every round of its surveys.
func verslagCmd(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("verslag", flag.ContinueOnError)
	dir := fs.String("out", ".", "map voor het verslag (.md, .html en .pdf)")
	pos, err := parseArgs(fs, "verslag", args, out)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("verslag", "noem één traject, bijvoorbeeld: participatiebot verslag goed-goan")
	}
	cfg, st, catalog, svc, err := cliService(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	t, err := trajectoryNamed(catalog, pos[0], cfg.SurveysDir)
	if err != nil {
		return err
	}
	rep, err := svc.Verslag(ctx, t, time.Now())
	if err != nil {
		return err
	}
	base := filepath.Join(*dir, "participatieverslag-"+t.ID)
	for _, f := range []struct {
		ext   string
		write func(io.Writer) error
	}{{".md", rep.WriteMarkdown}, {".html", rep.WriteHTML}, {".pdf", rep.WritePDF}} {
		if err := writeFileAtomic(base+f.ext, f.write); err != nil {
			return tellf(err, "Kan het verslag niet schrijven in %s: %v", *dir, err)
		}
	}
	fmt.Fprintf(out, "Participatieverslag van %q geschreven: %s.md, .html en .pdf\n", t.Title, base)
	return nil
}

// trajectoryNamed is the trajectory with id, or a Dutch error naming the ones there are.
func trajectoryNamed(c *surveys.Catalog, id, dir string) (*surveys.Trajectory, error) {
	if t, ok := c.Trajectory(id); ok {
		return t, nil
	}
	var ids []string
	for _, t := range c.Trajectories() {
		ids = append(ids, t.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("er is geen traject %q: in %s staat geen trajectbestand (NAAM.traject.yaml)", id, dir)
	}
	return nil, fmt.Errorf("er is geen traject %q; wel: %s", id, strings.Join(ids, ", "))
}

// writeFileAtomic writes a file through a temporary file beside it, so that a
// failed write leaves no half file behind.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
