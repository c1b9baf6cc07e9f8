package panel

import (
	"bytes"
	"io"
	"runtime"
	"slices"
	"testing"
)

func BenchmarkReadRegister30000(b *testing.B) {
	raw := synthCSV(b, 30_000, 1, ";")
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ReadRegister(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDraw30000(b *testing.B) {
	reg := synthRegister(b, 30_000, 1)
	opts := DrawOptions{Size: 200, Strata: []string{DimKern, DimLeeftijd}, Seed: 1}
	for b.Loop() {
		if _, err := Draw(reg, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteLetters1000(b *testing.B) {
	reg := synthRegister(b, 30_000, 1)
	l, err := Draw(reg, DrawOptions{Size: 1000, Strata: []string{DimKern, DimLeeftijd}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	inv, err := NewInvites(l)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := WriteLetters(io.Discard, exampleSpec(), inv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLettersForEveryone is the large case: every address of a 30,000-address
// register drawn and given a letter, in PDFs of MaxLetters each. It is slow (about
// 20 s an iteration); run it alone: go test -run '^$' -bench LettersForEveryone -benchtime 1x ./panel/
func BenchmarkLettersForEveryone(b *testing.B) {
	raw := synthCSV(b, 30_000, 1, ";")
	for b.Loop() {
		reg, err := ReadRegister(bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		l, err := Draw(reg, DrawOptions{Size: reg.Rows, Strata: []string{DimKern}, Seed: 1,
			AgeGroups: []AgeGroup{{Label: "allen", Min: 0, Max: MaxAge}}})
		if err != nil {
			b.Fatal(err)
		}
		inv, err := NewInvites(l)
		if err != nil {
			b.Fatal(err)
		}
		size := 0
		for part := range slices.Chunk(inv, MaxLetters) {
			var buf bytes.Buffer
			if err := WriteLetters(&buf, exampleSpec(), part); err != nil {
				b.Fatal(err)
			}
			size += buf.Len()
		}
		b.ReportMetric(float64(size>>20), "MB-pdf")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys>>20), "MB-heap")
}
