package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestLoadFiles(t *testing.T) {
	blobs := map[string]string{"r1": "png-1", "r2": "png-2", "r3": "verslag"}
	var loads []string
	load := func(_ context.Context, ref string) ([]byte, error) {
		loads = append(loads, ref)
		b, ok := blobs[ref]
		if !ok {
			return nil, errNotFound
		}
		return []byte(b), nil
	}
	shared := []File{{Name: "a.png", Ref: "r1"}, {Name: "b.png", Ref: "r2"}, {Name: "c.png", Data: []byte("inline")}}
	m := Message{Album: shared, Document: &File{Name: "v.md", Ref: "r3"}}
	if err := LoadFiles(context.Background(), &m, load); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range m.Album {
		got = append(got, string(f.Data))
	}
	if want := "png-1 png-2 inline"; strings.Join(got, " ") != want {
		t.Errorf("album data: got %q, want %q", strings.Join(got, " "), want)
	}
	if string(m.Document.Data) != "verslag" {
		t.Errorf("document data: got %q, want %q", m.Document.Data, "verslag")
	}
	if shared[0].Data != nil || shared[1].Data != nil {
		t.Errorf("the shared album was changed in place: %+v", shared)
	}
	if want := "r3 r1 r2"; strings.Join(loads, " ") != want {
		t.Errorf("loads: got %q, want %q (inline data not loaded)", strings.Join(loads, " "), want)
	}

	gone := Message{Album: []File{{Name: "x.png", Ref: "weg"}}}
	if err := LoadFiles(context.Background(), &gone, load); !errors.Is(err, errNotFound) {
		t.Errorf("expired blob: got %v, want an error wrapping the store's", err)
	}
}

var errNotFound = errors.New("not found")

func TestCheckAlbum(t *testing.T) {
	img := File{Name: "a.png", Ref: "r"}
	tests := []struct {
		name string
		msg  Message
		ok   bool
	}{
		{"images only", Message{Album: []File{img, img}}, true},
		{"ten", Message{Album: make([]File, MaxAlbum)}, true},
		{"eleven", Message{Album: make([]File, MaxAlbum+1)}, false},
		{"with text", Message{Text: "Grafieken", Album: []File{img, img}}, false},
		{"with buttons", Message{Album: []File{img, img}, Choices: [][]Choice{{{Label: "Ja", Data: "j"}}}}, false},
		{"with an edit", Message{Album: []File{img, img}, EditRef: "1:2"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckAlbum(tc.msg)
			if tc.ok != (err == nil) || err != nil && !errors.Is(err, ErrPermanent) {
				t.Errorf("got %v, want ok %v (else ErrPermanent)", err, tc.ok)
			}
		})
	}
}

func TestChartAlbums(t *testing.T) {
	files := make([]File, 12)
	for i := range files {
		files[i] = File{Name: "vraag-" + string(rune('a'+i)) + ".png", Ref: "r", Alt: "Staafdiagram"}
	}
	tests := []struct {
		name  string
		files []File
		want  []int // images per album
	}{
		// every chart, in two albums (the first five only, before)
		{"a resident's twelve", files, []int{MaxAlbum, 2}},
		{"a resident's three", files[:3], []int{3}},
		{"ten, one album", files[:10], []int{MaxAlbum}},
		{"none", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := chartAlbums(tc.files)
			var sizes []int
			for _, m := range got {
				sizes = append(sizes, len(m.Album))
				if err := CheckAlbum(m); err != nil {
					t.Errorf("album %+v: %v", m, err)
				}
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tc.want) {
				t.Errorf("got albums of %v, want %v", sizes, tc.want)
			}
			if len(got) > 0 && got[0].Album[0].Name != tc.files[0].Name {
				t.Errorf("first image: got %s, want %s (survey order)", got[0].Album[0].Name, tc.files[0].Name)
			}
		})
	}
}

func TestMessagesOfAlbum(t *testing.T) {
	for _, tc := range []struct {
		msg  Message
		want int
	}{{Message{Text: "Hallo"}, 1}, {Message{Album: make([]File, 5)}, 5}, {Message{Album: make([]File, 1)}, 1}} {
		if got := tc.msg.Messages(); got != tc.want {
			t.Errorf("%+v: got %d, want %d", tc.msg, got, tc.want)
		}
	}
}
