package lang

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/feature/plural"
	"gopkg.in/yaml.v3"
)

// catalogue is one catalogue file: its messages by id, each a text or, for a text
// with plural forms, the forms by CLDR name ("one", "other").
type catalogue map[string]map[string]string

var pluralNames = map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other"}

func readCatalogues(t *testing.T) (u map[string]map[Code]catalogue, je map[string]catalogue) {
	t.Helper()
	u, je = map[string]map[Code]catalogue{}, map[string]catalogue{}
	err := fs.WalkDir(locales, "locales", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimSuffix(path.Base(p), ".yaml")
		area, code, ok := strings.Cut(name, ".")
		if !ok || path.Ext(p) != ".yaml" {
			t.Errorf("%s: a catalogue is named <area>.<language>.yaml", p)
			return nil
		}
		buf, err := locales.ReadFile(p)
		if err != nil {
			return err
		}
		var raw map[string]any
		if err := yaml.Unmarshal(buf, &raw); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		c := catalogue{}
		for id, v := range raw {
			switch v := v.(type) {
			case string:
				c[id] = map[string]string{"": v}
			case map[string]any:
				forms := map[string]string{}
				for f, s := range v {
					str, ok := s.(string)
					if !ok {
						t.Errorf("%s: %s.%s is not a text", p, id, f)
					}
					forms[f] = str
				}
				c[id] = forms
			default:
				t.Errorf("%s: %s is neither a text nor plural forms", p, id)
			}
		}
		if path.Base(path.Dir(p)) == "je" {
			if code != "nl" {
				t.Errorf("%s: only Dutch has a je register", p)
			}
			je[area] = c
			return nil
		}
		lc, ok := Parse(code)
		if !ok {
			t.Errorf("%s: %s is not a supported language", p, code)
			return nil
		}
		if u[area] == nil {
			u[area] = map[Code]catalogue{}
		}
		u[area][lc] = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return u, je
}

// requiredForms are the plural forms a language's whole numbers take.
func requiredForms(c Code) []string {
	seen := map[string]bool{}
	for n := 0; n <= 1000; n++ {
		seen[pluralNames[plural.Cardinal.MatchPlural(c.Tag(), n, 0, 0, 0, 0)]] = true
	}
	var out []string
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

var placeholder = regexp.MustCompile(`{{[^}]*}}`)

func placeholders(s string) string {
	p := placeholder.FindAllString(s, -1)
	sort.Strings(p)
	return strings.Join(slicesCompact(p), " ")
}

// withoutN is a placeholder list without {{.N}}.
func withoutN(p string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(p, "{{.N}}", "")), " ")
}

func slicesCompact(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// words is what a text says in letters, without its placeholders, commands (/start),
// links and names that stay the same in every language.
func words(s string) string {
	s = placeholder.ReplaceAllString(s, " ")
	s = regexp.MustCompile(`(/[a-z]+|https?://\S+|WhatsApp|Telegram|Discord|AVG|GDPR|OK|Ok)`).ReplaceAllString(s, " ")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }), " ")
}

// TestCataloguesComplete checks that every text of the Dutch catalogues exists in
// every language, with the same placeholders, every plural form the language uses,
// and not left in Dutch; and that the je register only rewrites existing texts.
func TestCataloguesComplete(t *testing.T) {
	u, je := readCatalogues(t)
	if len(u) == 0 {
		t.Fatal("no catalogues")
	}
	ids := map[string]string{}
	for area, byLang := range u {
		nl := byLang[NL]
		if nl == nil {
			t.Errorf("area %s has no Dutch source", area)
			continue
		}
		for id := range nl {
			if other, dup := ids[id]; dup {
				t.Errorf("text %s is in both %s and %s", id, other, area)
			}
			ids[id] = area
		}
		for _, c := range Supported {
			tr := byLang[c]
			if tr == nil {
				t.Errorf("area %s has no catalogue for %s (%s)", area, c, c.Name())
				continue
			}
			for id := range tr {
				if nl[id] == nil {
					t.Errorf("%s.%s: %s is not a Dutch text (renamed or removed?)", area, c, id)
				}
			}
			for id, src := range nl {
				got := tr[id]
				if got == nil {
					t.Errorf("%s.%s: %s is missing", area, c, id)
					continue
				}
				srcText := src[""]
				if srcText == "" {
					srcText = src["other"]
				}
				if _, plain := src[""]; !plain {
					for _, f := range requiredForms(c) {
						if _, ok := got[f]; !ok {
							t.Errorf("%s.%s: %s lacks plural form %q (the language needs %v)", area, c, id, f, requiredForms(c))
						}
					}
				} else if _, ok := got[""]; !ok {
					t.Errorf("%s.%s: %s has plural forms where Dutch has one text", area, c, id)
				}
				for f, text := range got {
					want, have := placeholders(srcText), placeholders(text)
					if f != "" { // a plural form may spell its number out ("سؤالان", "one question")
						want, have = withoutN(want), withoutN(have)
					}
					if have != want {
						t.Errorf("%s.%s: %s[%s] has placeholders %q, Dutch has %q", area, c, id, f, have, want)
					}
					if c != NL && words(text) != "" && words(text) == words(srcText) {
						t.Errorf("%s.%s: %s[%s] is still Dutch: %q", area, c, id, f, text)
					}
				}
			}
		}
	}
	for area, c := range je {
		for id, forms := range c {
			src := u[area][NL][id]
			if src == nil {
				t.Errorf("je/%s.nl: %s has no u text", area, id)
				continue
			}
			for f, text := range forms {
				if placeholders(text) != placeholders(src[f]) {
					t.Errorf("je/%s.nl: %s has placeholders %q, the u text %q", area, id, placeholders(text), placeholders(src[f]))
				}
			}
		}
	}
}
