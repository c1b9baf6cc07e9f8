package bot

import (
	"strconv"
	"strings"
	"testing"
)

// canonical is the data that encode (or the constants) would produce for cb.
func canonical(cb callback) string {
	if _, ok := roundVerbs[cb.verb]; ok {
		return encode(cb.verb, cb.round, cb.args...)
	}
	if cb.arg == "" && cb.lang != "" {
		return cb.verb + ":" + cb.lang
	}
	if cb.arg == "" {
		return cb.verb
	}
	if cb.lang != "" {
		return cb.verb + ":" + cb.arg + ":" + cb.lang
	}
	return cb.verb + ":" + cb.arg
}

func TestDecodeAcceptsWhatIsProduced(t *testing.T) {
	code := "abcdefg2"
	produced := []string{dataUnder16, dataConsentNo, dataNoKern, dataStopYes, dataStopNo, dataForgetYes, dataForgetNo,
		dataMyData, "age:0", "age:" + strconv.Itoa(ageUnknown), "ok:3", "kern:5", encode("go", code), encode("e", code),
		encode("a", code, 0, 3), encode("s", code, 7), encode("t", code, 1, 2, 1), encode("d", code, 1),
		encode("p", code, 6, 1, 0, 4, 5, 2), encode("w", code, 6, 0, 2), encode("b", code, 3, 0),
		encode("a", code, maxArg, maxArg), encode("okc", "K7QM-X3VD-R9TC"),
		dataLangAsk, "lang:en", "lang:ar", "lang:nl", "age:3:ar", "age:u16:en", "ok:3:uk", "no:tr"}
	for _, data := range produced {
		cb, ok := decode(data)
		if !ok || canonical(cb) != data {
			t.Errorf("decode(%q): got %+v, %v, want it accepted and re-encoded the same", data, cb, ok)
		}
	}
}

func TestDecodeRefusesWhatIsNotProduced(t *testing.T) {
	code := "abcdefg2"
	for _, data := range []string{"", ":", "zz", "zz:" + code, "zz:" + code + ":1", "a:" + code, "a:" + code + ":1",
		"a:" + code + ":1:2:3", "a:" + code + ":01:2", "a:" + code + ":+1:2", "a:" + code + ":-1:2", "a:" + code + ":1000:2",
		"a:ABCDEFG2:1:2", "a:abcdefg1:1:2", "a:abc:1:2", "t:" + code + ":1:2:2", "p:" + code + ":6:1:0:4:5:3",
		"w:" + code + ":6:0:3", "go:" + code + ":", "go:" + code + ":0", "age:", "age:x", "age:-1", "age:01", "ok:u16",
		"kern:", "kern:--", "stop", "stop:yes", "forget", "forget:", "no:1", "me:", "me:1", "age:u16:1", " a:" + code + ":1:2",
		"a:" + code + ":1:2 ", "a:" + code + ":1:2\n", "okc:", "okc:k7qm-x3vd-r9tc", "okc:K7QM X3VD", "okc:K7QM:X3VD",
		"okc:" + strings.Repeat("K", 33), "lang", "lang:", "lang:EN", "lang:de", "lang:en-GB", "lang:en:1", "age:3:EN",
		"age:3:de", "age:3:", "ok:3:en:1", "no:EN", "no:en-gb", "no:", "kern:1:en", "stop:y:en"} {
		if cb, ok := decode(data); ok {
			t.Errorf("decode(%q): got %+v, want it refused", data, cb)
		}
	}
}

// FuzzDecode: decode never panics, and accepts only the canonical form of what it returns.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"a:abcdefg2:1:2", "p:abcdefg2:6:1:0:4:5:2", "age:u16", "kern:-", "zz:abcdefg2", "stop:y", "age:2:ar", "lang:uk"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		cb, ok := decode(data)
		if !ok {
			return
		}
		if got := canonical(cb); got != data {
			t.Fatalf("decode(%q) accepted a form encode does not produce (%q)", data, got)
		}
		if _, isRound := roundVerbs[cb.verb]; isRound && len(cb.args) != roundVerbs[cb.verb] {
			t.Fatalf("decode(%q): %d arguments, want %d", data, len(cb.args), roundVerbs[cb.verb])
		}
	})
}
