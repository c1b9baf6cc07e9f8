package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateWhatsAppWarnings: validate warns on stderr about option labels that a
// WhatsApp button would cut, keeps stdout for problems and exits 0; with a kort the
// warning is gone.
func TestValidateWhatsAppWarnings(t *testing.T) {
	base, err := os.ReadFile("../../examples/burgerpeiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const label = "- id: neutraal\n"
	if !bytes.Contains(base, []byte(label)) {
		t.Fatalf("examples/burgerpeiling.yaml: got no option %s, want it for this test", label)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	long := write("lang.yaml", base)
	short := write("kort.yaml", bytes.Replace(base, []byte(label),
		[]byte("- id: neutraal\n        kort: {nl: Neutraal, en: Neutral, ar: محايد, tr: Tarafsız, pl: Neutralnie, uk: Нейтрально}\n"), 1))
	all := "uitnodiging=participatie_uitnodiging,herinnering=participatie_herinnering,uitslag=participatie_uitslag,besluit=participatie_besluit"
	whatsApp := func(templates string) env {
		return func(k string) string {
			return map[string]string{"WHATSAPP_TOKEN": "EAAG-test", "WHATSAPP_TEMPLATES": templates}[k]
		}
	}
	noWhatsApp := func(string) string { return "" }
	tests := []struct {
		name       string
		file       string
		env        env
		wantStderr string
	}{
		{"label too long for a list row", long, whatsApp(all), long + ": ok (burgerpeiling, 10 vragen)\n" + long +
			`: WhatsApp: vraag "vertrouwen", optie "Niet veel, niet weinig vertrouwen": 33 tekens, WhatsApp toont er 24; geef een kort: label` + "\n"},
		{"with a kort", short, whatsApp(all), short + ": ok (burgerpeiling, 10 vragen)\n"},
		{"no WhatsApp, no warning", long, noWhatsApp, long + ": ok (burgerpeiling, 10 vragen)\n"},
		{"a template missing", short, whatsApp("uitnodiging=participatie_uitnodiging,herinnering=participatie_herinnering,besluit=participatie_besluit"),
			short + ": ok (burgerpeiling, 10 vragen)\n" + short + ": WhatsApp: geen sjabloon voor uitslag in WHATSAPP_TEMPLATES: " +
				"bewoners die 24 uur niets stuurden krijgen dat bericht pas als ze zelf weer iets sturen (zie docs/whatsapp-templates.md)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"validate", tt.file}, tt.env, &out, &errb)
			if code != 0 {
				t.Errorf("exit: got %d, want 0", code)
			}
			if out.Len() != 0 {
				t.Errorf("stdout: got %q, want nothing (warnings are no problems)", out.String())
			}
			if got := errb.String(); got != tt.wantStderr {
				t.Errorf("stderr: got\n%s\nwant\n%s", got, tt.wantStderr)
			}
		})
	}
}

// TestValidateShortLabelTooLong: a kort longer than a WhatsApp button is a problem
// with its position, and validate exits 1.
func TestValidateShortLabelTooLong(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e2e.yaml")
	data, err := os.ReadFile("testdata/e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const from = `"De raad op pad"`
	if !bytes.Contains(data, []byte(from)) {
		t.Fatalf("testdata/e2e.yaml: got no option %s, want it for this test", from)
	}
	data = bytes.Replace(data, []byte(from), []byte(`{label: "De raad op pad", kort: "De gemeenteraad gaat op pad"}`), 1)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"validate", path}, func(string) string { return "" }, &out, &errb)
	if code != 1 {
		t.Errorf("exit: got %d, want 1 (stderr %q)", code, errb.String())
	}
	want := `: vraag "waarden": optie 2: kort is te lang: 27 tekens, hoogstens 20` + "\n" +
		"  tip: Een kort staat op een knop, en WhatsApp toont op een knop hoogstens 20 tekens. Kies een korter woord.\n"
	if got := out.String(); !strings.HasPrefix(got, path+":") || !strings.Contains(got, want) {
		t.Errorf("stdout: got %q, want %s:line:col%s", got, path, want)
	}
}
