package panel

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"
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

// TestLettersForEveryone is the large case, run by hand (PANEL_BIG=1): every address
// of a 30,000-address register drawn and given a letter.
func TestLettersForEveryone(t *testing.T) {
	if os.Getenv("PANEL_BIG") == "" {
		t.Skip("set PANEL_BIG=1 to time 30,000 letters")
	}
	raw := synthCSV(t, 30_000, 1, ";")
	start := time.Now()
	reg, err := ReadRegister(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	read := time.Since(start)
	l, err := Draw(reg, DrawOptions{Size: reg.Rows, Strata: []string{DimKern}, Seed: 1,
		AgeGroups: []AgeGroup{{Label: "allen", Min: 0, Max: MaxAge}}})
	if err != nil {
		t.Fatal(err)
	}
	drawn := time.Since(start)
	inv, err := NewInvites(l)
	if err != nil {
		t.Fatal(err)
	}
	coded := time.Since(start)
	size := 0
	for part := range slices.Chunk(inv, MaxLetters) {
		var buf bytes.Buffer
		if err := WriteLetters(&buf, exampleSpec(), part); err != nil {
			t.Fatal(err)
		}
		size += buf.Len()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("read %v, drawn %v, codes %v, %d letters in parts of %d: %v (%d MB of PDF, %d MB heap at most)",
		read, drawn-read, coded-drawn, len(inv), MaxLetters, time.Since(start)-coded, size>>20, ms.HeapSys>>20)
}
