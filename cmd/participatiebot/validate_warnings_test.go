package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestValidateWarnings: validate prints the warnings of a valid file on stderr after
// "ok", each with its position and tip, keeps stdout for problems and exits 0.
func TestValidateWarnings(t *testing.T) {
	base, err := os.ReadFile("../../examples/burgerpeiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const from = `nl: "Wat moet de gemeente vooral beter doen in het contact met inwoners?"`
	if !bytes.Contains(base, []byte(from)) {
		t.Fatalf("examples/burgerpeiling.yaml: got no %s, want it for this test", from)
	}
	line := bytes.Count(base[:bytes.Index(base, []byte(from))], []byte("\n")) + 1
	path := filepath.Join(t.TempDir(), "kinderen.yaml")
	data := bytes.Replace(base, []byte(from), []byte(`nl: "Wat mis jij in de speeltuin?"`), 1)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"validate", path}, func(string) string { return "" }, &out, &errb)
	if code != 0 {
		t.Errorf("exit: got %d, want 0 (a warning is no problem)", code)
	}
	if out.Len() != 0 {
		t.Errorf("stdout: got %q, want nothing", out.String())
	}
	want := path + ": ok (burgerpeiling, 10 vragen)\n" +
		path + ":" + strconv.Itoa(line) + ":11: waarschuwing: vraag \"verbeteren\" lijkt zich tot kinderen te richten: \"jij\" en \"speeltuin\"\n" +
		"  tip: Inwoners jonger dan 16 kunnen niet meedoen via de bot. Richt de vragen aan ouders (‘Wat mist uw kind …’) of organiseer kinderparticipatie op een andere manier.\n"
	if got := errb.String(); got != want {
		t.Errorf("stderr: got\n%s\nwant\n%s", got, want)
	}
}
