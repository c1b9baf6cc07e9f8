package panel

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// DrawOptions say how big the panel is and how it is stratified.
type DrawOptions struct {
	// Size is the number of addresses to draw, at least 1 and at most the drawable
	// population.
	Size int
	// Strata are the dimensions to stratify by: DimKern, DimLeeftijd, both or none.
	Strata []string
	// AgeGroups are the age groups, youngest first, without overlap; nil means
	// DefaultAgeGroups. They decide who is drawable even without DimLeeftijd: a
	// resident in no group (under the youngest group's Min, or in a gap) is not drawn
	// and is counted in Audit.Excluded.
	AgeGroups []AgeGroup
	// Seed starts the random generator. It must not be 0: pick one with NewSeed, in
	// front of witnesses if the trajectory asks for that, and keep it with the audit.
	Seed uint64
	// Now gives the time recorded in the audit; nil means time.Now.
	Now func() time.Time
}

// Loting is the outcome of a Draw: the drawn residents and the audit of the draw.
type Loting struct {
	// Drawn are the drawn residents, sorted by address (then kern).
	Drawn []Drawn
	// Audit is the record of how they were drawn, without addresses.
	Audit Audit
}

// Drawn is one drawn resident with its stratum.
type Drawn struct {
	Resident
	// AgeGroup is the label of the resident's age group.
	AgeGroup string
	// Stratum is the key of its stratum (see StratumKey).
	Stratum string
}

// NewSeed is a random seed from crypto/rand, never 0.
func NewSeed() uint64 {
	for {
		var b [8]byte
		rand.Read(b[:]) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
		if s := binary.BigEndian.Uint64(b[:]); s != 0 {
			return s
		}
	}
}

// method is the draw in one Dutch sentence, for the audit.
const method = "Het aantal uitnodigingen is over de strata verdeeld naar verhouding van het aantal " +
	"inwoners dat geloot kan worden, met de methode van de grootste overschotten (Hamilton; bij gelijke " +
	"overschotten gaat het stratum met de alfabetisch eerste naam voor), en daarna is in elk stratum uit de " +
	"adressen op alfabetische volgorde een enkelvoudige aselecte steekproef zonder teruglegging getrokken " +
	"(gedeeltelijke Fisher-Yates) met de PCG-generator van Go (math/rand/v2), met als beginwaarden de seed " +
	"en de eerste 8 bytes van de SHA-256 van \"participatiebot/panel\", een nulbyte en de stratumnaam."

// Draw draws a stratified random sample of opts.Size addresses from reg. The sample
// is allocated over the strata in proportion to their drawable population with the
// largest-remainder method (Hamilton), ties going to the stratum key that sorts first,
// and drawn within each stratum as a simple random sample without replacement from a
// PCG seeded with opts.Seed and the stratum key, so each stratum's sample does not
// depend on the others. The same register and seed give the same sample, whatever the
// row order of the file.
func Draw(reg *Register, opts DrawOptions) (*Loting, error) {
	if reg == nil || len(reg.Residents) == 0 {
		return nil, errors.New("loting: het bevolkingsbestand is leeg")
	}
	if opts.Seed == 0 {
		return nil, errors.New("loting: geen seed; kies er een met NewSeed en leg hem vast")
	}
	if opts.Size < 1 {
		return nil, fmt.Errorf("loting: steekproefgrootte %d, verwacht minstens 1", opts.Size)
	}
	dims, err := normaliseStrata(opts.Strata)
	if err != nil {
		return nil, fmt.Errorf("loting: %w", err)
	}
	groups := opts.AgeGroups
	if groups == nil {
		groups = DefaultAgeGroups
	}
	if err := validateAgeGroups(groups); err != nil {
		return nil, fmt.Errorf("loting: %w", err)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}

	if !slices.IsSortedFunc(reg.Residents, compareResidents) { // a Register not from ReadRegister
		reg = &Register{Residents: slices.Clone(reg.Residents), SHA256: reg.SHA256, Rows: reg.Rows}
		slices.SortFunc(reg.Residents, compareResidents)
	}
	strata, excluded := stratify(reg, dims, groups)
	drawable := len(reg.Residents) - excluded
	if opts.Size > drawable {
		return nil, fmt.Errorf("loting: een steekproef van %s is groter dan de %s inwoners die geloot kunnen worden",
			dutch.Int(int64(opts.Size)), dutch.Int(int64(drawable)))
	}
	sizes := make([]int, len(strata))
	for i, s := range strata {
		sizes[i] = len(s.members)
	}
	alloc := Allocate(opts.Size, sizes)

	l := &Loting{Audit: Audit{
		Seed: opts.Seed, DrawnAt: now(), RegisterSHA256: reg.SHA256, RegisterRows: reg.Rows,
		Drawable: drawable, Excluded: excluded, Size: opts.Size, Dimensions: dims,
		AgeGroups: slices.Clone(groups), Method: method,
	}}
	for i, s := range strata {
		picked := sample(s.members, alloc[i], opts.Seed, s.key)
		for _, idx := range picked {
			res := reg.Residents[idx]
			g, _ := ageGroupOf(groups, res.Age)
			l.Drawn = append(l.Drawn, Drawn{Resident: res, AgeGroup: g, Stratum: s.key})
		}
		l.Audit.Strata = append(l.Audit.Strata, StratumAudit{
			Key: s.key, Register: len(s.members), Allocated: alloc[i], Drawn: len(picked),
		})
	}
	slices.SortFunc(l.Drawn, func(a, b Drawn) int { return compareResidents(a.Resident, b.Resident) })
	return l, nil
}

// stratum is one stratum's key and its members as indexes into the register, in
// address order.
type stratum struct {
	key     string
	members []int
}

// stratify groups the drawable residents by stratum key, the strata sorted by key, and
// counts the residents in no age group.
func stratify(reg *Register, dims []string, groups []AgeGroup) ([]stratum, int) {
	byKey := map[string]*stratum{}
	excluded := 0
	for i, res := range reg.Residents {
		g, ok := ageGroupOf(groups, res.Age)
		if !ok {
			excluded++
			continue
		}
		key := StratumKey(dims, res.Kern, g)
		s := byKey[key]
		if s == nil {
			s = &stratum{key: key}
			byKey[key] = s
		}
		s.members = append(s.members, i)
	}
	out := make([]stratum, 0, len(byKey))
	for _, s := range byKey {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b stratum) int { return strings.Compare(a.key, b.key) })
	return out, excluded
}

// Allocate divides size over strata of the given sizes in proportion to them with the
// largest-remainder method (Hamilton): each stratum gets the whole part of its quota
// size·n/N, and the seats left go one each to the largest remainders, a tie going to
// the stratum that comes first in sizes (Draw passes them sorted by key). No stratum
// gets more than it has. size must not exceed the sum of sizes.
func Allocate(size int, sizes []int) []int {
	total := 0
	for _, n := range sizes {
		total += n
	}
	alloc := make([]int, len(sizes))
	if total == 0 {
		return alloc
	}
	rem := make([]int, len(sizes)) // remainders, in units of 1/total
	left := size
	for i, n := range sizes {
		q := int64(size) * int64(n)
		alloc[i] = int(q / int64(total))
		rem[i] = int(q % int64(total))
		left -= alloc[i]
	}
	order := make([]int, len(sizes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rem[b], rem[a]) })
	for _, i := range order {
		if left == 0 {
			break
		}
		if alloc[i] < sizes[i] { // always true when the remainder is > 0; kept as a guard
			alloc[i]++
			left--
		}
	}
	return alloc
}

// sample draws k of members without replacement with a partial Fisher-Yates shuffle
// on a PCG seeded with seed and the stratum key, and returns them in member order.
func sample(members []int, k int, seed uint64, key string) []int {
	h := sha256.Sum256([]byte("participatiebot/panel\x00" + key))
	r := mrand.New(mrand.NewPCG(seed, binary.BigEndian.Uint64(h[:8])))
	pool := slices.Clone(members)
	for i := range k {
		j := i + r.IntN(len(pool)-i)
		pool[i], pool[j] = pool[j], pool[i]
	}
	picked := pool[:k]
	slices.Sort(picked)
	return picked
}
