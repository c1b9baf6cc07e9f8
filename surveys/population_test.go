package surveys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadPopulationDalfsen(t *testing.T) {
	p, err := LoadPopulation("../examples/bevolking/dalfsen-kernen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kern string
		want int
	}{
		{"Dalfsen", 9349 + 1795},
		{"Nieuwleusen", 7790 + 1776},
		{"Lemelerveld", 3597 + 1201},
		{"Hoonhorst", 724 + 880},
		{"Oudleusen", 585 + 1198},
		{"Ankum", 85 + 723},
	}
	sum := 0
	for _, tt := range tests {
		t.Run(tt.kern, func(t *testing.T) {
			if got := p.Kernen[tt.kern]; got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
		sum += tt.want
	}
	if p.Total != 29703 || sum != p.Total || len(p.Kernen) != len(tests) {
		t.Errorf("total: got %v (%d kernen), want 29703 = sum %v", p.Total, len(p.Kernen), sum)
	}
	if p.Source != "Gemeentemagazine Dalfsen 2024" {
		t.Errorf("source: got %q, want %q", p.Source, "Gemeentemagazine Dalfsen 2024")
	}
}

func TestLoadPopulationShapes(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       map[string]int
		wantTotal  int
		wantErr    string
	}{
		{"plain numbers, total from the sum", "kernen:\n  A: 10\n  B: 5\n", map[string]int{"A": 10, "B": 5}, 15, ""},
		{"kern and buitengebied", "total: 40\nkernen:\n  A: {kern: 10, buitengebied: 20}\n", map[string]int{"A": 30}, 40, ""},
		{"total below the sum", "total: 5\nkernen:\n  A: 10\n", nil, 0, "kleiner dan"},
		{"no kernen", "total: 5\n", nil, 0, "geen kernen"},
		{"not a number", "kernen:\n  A: veel\n", nil, 0, "kern A"},
		{"negative", "kernen:\n  A: {kern: -1}\n", nil, 0, "negatief"},
		{"bad yaml", "kernen: [\n", nil, 0, "bevolkingsbestand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bevolking.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := LoadPopulation(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != tt.wantTotal || len(p.Kernen) != len(tt.want) {
				t.Errorf("got %v total %d, want %v total %d", p.Kernen, p.Total, tt.want, tt.wantTotal)
			}
			for k, v := range tt.want {
				if p.Kernen[k] != v {
					t.Errorf("%s: got %v, want %v", k, p.Kernen[k], v)
				}
			}
		})
	}
	if _, err := LoadPopulation(filepath.Join(t.TempDir(), "bestaat-niet.yaml")); err == nil {
		t.Errorf("missing file: got nil, want an error")
	}
}
