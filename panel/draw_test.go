package panel

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// groupOf is the test's own age grouping, written apart from ageGroupOf.
func groupOf(age int) string {
	switch {
	case age < 16:
		return ""
	case age <= 24:
		return "16-24"
	case age <= 44:
		return "25-44"
	case age <= 64:
		return "45-64"
	default:
		return "65+"
	}
}

// hamilton is the test's own largest-remainder allocation, in exact fractions over
// the strata sorted by key.
func hamilton(size int, counts map[string]int) map[string]int {
	keys := make([]string, 0, len(counts))
	total := 0
	for k, n := range counts {
		keys = append(keys, k)
		total += n
	}
	sort.Strings(keys)
	out := map[string]int{}
	type rem struct {
		key string
		num int // remainder numerator over total
	}
	var rems []rem
	given := 0
	for _, k := range keys {
		out[k] = size * counts[k] / total
		given += out[k]
		rems = append(rems, rem{k, size * counts[k] % total})
	}
	sort.SliceStable(rems, func(i, j int) bool { return rems[i].num > rems[j].num })
	for i := 0; given < size; i++ {
		out[rems[i].key]++
		given++
	}
	return out
}

func TestDraw(t *testing.T) {
	raw := synthCSV(t, 30_000, 3, ";")
	reg, err := ReadRegister(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	opts := DrawOptions{Size: 200, Strata: []string{"kern", "leeftijd"}, Seed: 20250303, Now: fixedNow}
	l, err := Draw(reg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Drawn) != 200 {
		t.Fatalf("got %d drawn, want 200", len(l.Drawn))
	}

	t.Run("every drawn resident is in the register and in its stratum, once", func(t *testing.T) {
		inRegister := map[Resident]bool{}
		for _, r := range reg.Residents {
			inRegister[r] = true
		}
		seen := map[string]bool{}
		for _, d := range l.Drawn {
			if !inRegister[d.Resident] {
				t.Errorf("%+v is not in the register", d.Resident)
			}
			if g := groupOf(d.Age); g == "" || d.AgeGroup != g || d.Stratum != d.Kern+"|"+g {
				t.Errorf("age %d in %s: got group %q and stratum %q", d.Age, d.Kern, d.AgeGroup, d.Stratum)
			}
			id := d.Address + "\x00" + d.Kern
			if seen[id] {
				t.Errorf("drawn twice: %+v", d.Resident)
			}
			seen[id] = true
		}
	})

	t.Run("allocation is the largest-remainder allocation", func(t *testing.T) {
		counts, excluded := map[string]int{}, 0
		for _, r := range reg.Residents {
			if g := groupOf(r.Age); g != "" {
				counts[r.Kern+"|"+g]++
			} else {
				excluded++
			}
		}
		want := hamilton(200, counts)
		drawn := map[string]int{}
		for _, d := range l.Drawn {
			drawn[d.Stratum]++
		}
		if len(l.Audit.Strata) != len(counts) {
			t.Fatalf("got %d strata, want %d", len(l.Audit.Strata), len(counts))
		}
		for _, s := range l.Audit.Strata {
			if s.Register != counts[s.Key] || s.Allocated != want[s.Key] || s.Drawn != want[s.Key] || drawn[s.Key] != want[s.Key] {
				t.Errorf("%s: got register %d, allocated %d, drawn %d (%d in Drawn), want %d, %d",
					s.Key, s.Register, s.Allocated, s.Drawn, drawn[s.Key], counts[s.Key], want[s.Key])
			}
		}
		if l.Audit.Excluded != excluded || l.Audit.Drawable != 30_000-excluded || l.Audit.RegisterRows != 30_000 {
			t.Errorf("got excluded %d, drawable %d, rows %d, want %d, %d, 30000",
				l.Audit.Excluded, l.Audit.Drawable, l.Audit.RegisterRows, excluded, 30_000-excluded)
		}
	})

	t.Run("the same seed draws the same, whatever the row order", func(t *testing.T) {
		again, err := Draw(reg, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again.Drawn, l.Drawn) {
			t.Error("a second draw with the same seed differs")
		}
		shuffled, err := ReadRegister(bytes.NewReader(shuffleRows(raw, 99)))
		if err != nil {
			t.Fatal(err)
		}
		other, err := Draw(shuffled, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(other.Drawn, l.Drawn) {
			t.Error("the same rows in another order draw differently")
		}
		if shuffled.SHA256 == reg.SHA256 {
			t.Error("the shuffled file has the same sha256")
		}
	})

	t.Run("another seed draws differently", func(t *testing.T) {
		o := opts
		o.Seed++
		other, err := Draw(reg, o)
		if err != nil {
			t.Fatal(err)
		}
		same := 0
		in := map[Resident]bool{}
		for _, d := range l.Drawn {
			in[d.Resident] = true
		}
		for _, d := range other.Drawn {
			if in[d.Resident] {
				same++
			}
		}
		// the expected overlap is 200·200/29,000 ≈ 1.4 addresses
		if same > 20 {
			t.Errorf("got %d of 200 the same, want few", same)
		}
	})
}

// shuffleRows shuffles the rows of a CSV below its header.
func shuffleRows(raw []byte, seed uint64) []byte {
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	body := lines[1:]
	rand.New(rand.NewPCG(seed, 0)).Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	return []byte(strings.Join(lines, "\n") + "\n")
}

// smallRegister has kernen A, B and C (or another third kern) of 37, 16 and 7
// residents, all 30 years old.
func smallRegister(t *testing.T, third string) *Register {
	t.Helper()
	var b strings.Builder
	b.WriteString("adres;kern;leeftijd\n")
	for _, k := range []struct {
		name string
		n    int
	}{{"A", 37}, {"B", 16}, {third, 7}} {
		for i := range k.n {
			fmt.Fprintf(&b, "Straat %d;%s;30\n", i, k.name)
		}
	}
	reg, err := ReadRegister(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestInclusionFrequency draws 10 of 60 with 2,000 seeds: with the allocation 6, 3, 1
// every address of a stratum must come up about alloc/n of the time.
func TestInclusionFrequency(t *testing.T) {
	reg := smallRegister(t, "C")
	const seeds = 2000
	hits := map[Resident]int{}
	for s := range uint64(seeds) {
		l, err := Draw(reg, DrawOptions{Size: 10, Strata: []string{DimKern}, Seed: s + 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range l.Drawn {
			hits[d.Resident]++
		}
	}
	p := map[string]float64{"A": 6.0 / 37, "B": 3.0 / 16, "C": 1.0 / 7}
	for _, r := range reg.Residents {
		want := seeds * p[r.Kern]
		sd := math.Sqrt(seeds * p[r.Kern] * (1 - p[r.Kern]))
		// 60 addresses at 4.5 standard deviations: a false alarm about once in 10^4 runs
		if got := float64(hits[r]); math.Abs(got-want) > 4.5*sd {
			t.Errorf("%s in %s: drawn %v times, want about %.0f ± %.0f", r.Address, r.Kern, got, want, sd)
		}
	}
}

// TestStrataIndependent: a stratum's sample depends on the seed and its own key and
// members, not on the other strata.
func TestStrataIndependent(t *testing.T) {
	opts := DrawOptions{Size: 10, Strata: []string{DimKern}, Seed: 77}
	a, err := Draw(smallRegister(t, "C"), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Draw(smallRegister(t, "D"), opts)
	if err != nil {
		t.Fatal(err)
	}
	pick := func(l *Loting) []Drawn {
		return slices.DeleteFunc(slices.Clone(l.Drawn), func(d Drawn) bool { return d.Kern != "A" && d.Kern != "B" })
	}
	if !slices.Equal(pick(a), pick(b)) {
		t.Error("kern A and B were drawn differently when only the third kern changed")
	}
}

func TestDrawDimensions(t *testing.T) {
	reg := synthRegister(t, 3000, 5)
	cases := []struct {
		name   string
		strata []string
		key    func(Drawn) string
	}{
		{"kern", []string{"kern"}, func(d Drawn) string { return d.Kern }},
		{"leeftijd", []string{"Leeftijd"}, func(d Drawn) string { return d.AgeGroup }},
		{"both, leeftijd named first", []string{"leeftijd", "kern"}, func(d Drawn) string { return d.Kern + "|" + d.AgeGroup }},
		{"none", nil, func(Drawn) string { return "" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := Draw(reg, DrawOptions{Size: 50, Strata: c.strata, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range l.Drawn {
				if d.Stratum != c.key(d) {
					t.Errorf("got stratum %q, want %q", d.Stratum, c.key(d))
				}
				if d.Age < 16 {
					t.Errorf("drew someone of %d", d.Age)
				}
			}
			total := 0
			for _, s := range l.Audit.Strata {
				total += s.Drawn
			}
			if total != 50 || len(l.Drawn) != 50 {
				t.Errorf("got %d drawn (%d in the audit), want 50", len(l.Drawn), total)
			}
		})
	}
}

func TestDrawErrors(t *testing.T) {
	reg := smallRegister(t, "C")
	cases := []struct {
		name string
		reg  *Register
		opts DrawOptions
		want string
	}{
		{"no register", nil, DrawOptions{Size: 1, Seed: 1}, "leeg"},
		{"seed 0", reg, DrawOptions{Size: 1}, "geen seed"},
		{"size 0", reg, DrawOptions{Seed: 1}, "steekproefgrootte 0"},
		{"larger than the drawable", reg, DrawOptions{Size: 61, Seed: 1}, "een steekproef van 61 is groter dan de 60 inwoners die geloot kunnen worden"},
		{"unknown stratum", reg, DrawOptions{Size: 1, Seed: 1, Strata: []string{"wijk"}}, `stratum "wijk" bestaat niet`},
		{"stratum twice", reg, DrawOptions{Size: 1, Seed: 1, Strata: []string{"kern", "Kern"}}, `stratum "kern" staat er twee keer in`},
		{"overlapping age groups", reg, DrawOptions{Size: 1, Seed: 1, AgeGroups: []AgeGroup{{"a", 16, 30}, {"b", 30, 40}}}, `leeftijdsgroep "b" begint niet na "a"`},
		{"age group without a name", reg, DrawOptions{Size: 1, Seed: 1, AgeGroups: []AgeGroup{{"", 16, 30}}}, "geen naam"},
		{"age group upside down", reg, DrawOptions{Size: 1, Seed: 1, AgeGroups: []AgeGroup{{"x", 30, 16}}}, "30 tot en met 16"},
		{"no age groups", reg, DrawOptions{Size: 1, Seed: 1, AgeGroups: []AgeGroup{}}, "geen leeftijdsgroepen"},
		{"excluded by custom groups", reg, DrawOptions{Size: 1, Seed: 1, AgeGroups: []AgeGroup{{"oud", 65, 120}}}, "groter dan de 0 inwoners"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Draw(c.reg, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestAllocate(t *testing.T) {
	cases := []struct {
		name  string
		size  int
		sizes []int
		want  []int
	}{
		{"exact", 10, []int{50, 30, 20}, []int{5, 3, 2}},
		{"largest remainder wins", 10, []int{37, 16, 7}, []int{6, 3, 1}},
		{"a tie goes to the first", 1, []int{10, 10, 10}, []int{1, 0, 0}},
		{"a tie of two seats", 2, []int{10, 10, 10}, []int{1, 1, 0}},
		{"everyone", 60, []int{37, 16, 7}, []int{37, 16, 7}},
		{"never more than a stratum has", 4, []int{1, 1, 1, 1, 96}, []int{0, 0, 0, 0, 4}},
		{"a small stratum can get nothing", 3, []int{1, 99}, []int{0, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Allocate(c.size, c.sizes); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// TestDefaultAgeGroups: the age groups are those of the population file and the
// participant profile, so a panel's afspiegeling lines up with every round's.
func TestDefaultAgeGroups(t *testing.T) {
	if len(DefaultAgeGroups) != len(surveys.Leeftijdsgroepen) {
		t.Fatalf("got %d groups, want %d", len(DefaultAgeGroups), len(surveys.Leeftijdsgroepen))
	}
	for i, g := range DefaultAgeGroups {
		if g.Label != surveys.Leeftijdsgroepen[i].ID {
			t.Errorf("group %d: got %q, want %q", i, g.Label, surveys.Leeftijdsgroepen[i].ID)
		}
		if i > 0 && g.Min != DefaultAgeGroups[i-1].Max+1 {
			t.Errorf("group %q does not follow on %q", g.Label, DefaultAgeGroups[i-1].Label)
		}
	}
	if DefaultAgeGroups[0].Min != 16 || DefaultAgeGroups[len(DefaultAgeGroups)-1].Max != MaxAge {
		t.Error("the groups do not run from 16 to MaxAge")
	}
	for age := range MaxAge + 1 {
		if got, _ := ageGroupOf(DefaultAgeGroups, age); got != groupOf(age) {
			t.Errorf("age %d: got %q, want %q", age, got, groupOf(age))
		}
	}
}

func TestNewSeed(t *testing.T) {
	a, b := NewSeed(), NewSeed()
	if a == 0 || a == b {
		t.Errorf("got %d and %d", a, b)
	}
}
