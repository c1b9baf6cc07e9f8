package dutch

import (
	"math"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2027, 3, 1, 9, 5, 0, 0, loc)
	tests := []struct{ got, want string }{
		{Int(0), "0"}, {Int(999), "999"}, {Int(1000), "1.000"}, {Int(1234567), "1.234.567"}, {Int(-1234), "-1.234"},
		{Decimal(1234.56, 1), "1.234,6"}, {Decimal(7.36, 1), "7,4"}, {Decimal(-0.25, 2), "-0,25"}, {Decimal(math.NaN(), 1), "-"},
		{Median(7), "7"}, {Median(7.5), "7,5"},
		{Percent(32.4), "32%"}, {Percent(math.Inf(1)), "-"},
		{Date(at), "1 maart 2027"}, {DateTime(at), "1 maart 2027, 09:05"},
		{Month(time.February), "februari"}, {Weekday(time.Tuesday), "dinsdag"},
		{Plural(1, "antwoord", "antwoorden"), "1 antwoord"}, {Plural(0, "antwoord", "antwoorden"), "0 antwoorden"},
		{Plural(1200, "antwoord", "antwoorden"), "1.200 antwoorden"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestLists(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{And([]string{"a", "b", "c"}), "a, b en c"},
		{Or([]string{"college", "gemeenteraad"}), "college of gemeenteraad"},
		{And([]string{"a"}), "a"},
		{Or(nil), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
