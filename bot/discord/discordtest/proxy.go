package discordtest

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Discord shows an embed's image from an http(s) URL through its media proxy
// (https://docs.discord.com/developers/resources/message#embed-object-embed-image-structure:
// "url: source url of image (only supports http(s) and attachments)", with
// proxy_url "a proxied url of the image"): the proxy fetches the image once and
// serves every member from its copy. The fake does the same for URLs on loopback,
// once per URL, and keeps what it got, so that a test sees whether the bot's images
// by URL work, and how often they were fetched. Other URLs are not fetched (no
// network here) and count as broken.

// ImageFetch is the media proxy's fetch of one image URL.
type ImageFetch struct {
	URL    string
	Status int    // the answer's status; 0 when there was none
	Type   string // its Content-Type
	Bytes  []byte
	Err    string // the transport's error, or why it was not fetched
	Time   time.Time
}

// OK reports whether the image showed: a 200 with an image type.
func (f ImageFetch) OK() bool {
	return f.Status == http.StatusOK && strings.HasPrefix(f.Type, "image/")
}

// mediaProxy is the state of the fake's media proxy.
type mediaProxy struct {
	mu      sync.Mutex
	fetches map[string]*ImageFetch // by URL; nil value: being fetched
	order   []string
}

// proxyImagesLocked starts the fetch of every http(s) image URL of the embeds not
// fetched before.
func (s *Server) proxyImagesLocked(embeds []Embed) {
	p := &s.proxy
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fetches == nil {
		p.fetches = map[string]*ImageFetch{}
	}
	for _, e := range embeds {
		u := e.Image
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			continue
		}
		if _, seen := p.fetches[u]; seen {
			continue
		}
		p.fetches[u] = nil
		p.order = append(p.order, u)
		go func() {
			f := fetchImage(u)
			p.mu.Lock()
			p.fetches[u] = &f
			p.mu.Unlock()
		}()
	}
}

func fetchImage(raw string) ImageFetch {
	f := ImageFetch{URL: raw, Time: time.Now()}
	u, err := url.Parse(raw)
	if err != nil {
		f.Err = err.Error()
		return f
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		f.Err = "not fetched: the fake fetches images on loopback only"
		return f
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(raw)
	if err != nil {
		f.Err = err.Error()
		return f
	}
	defer resp.Body.Close()
	f.Status, f.Type = resp.StatusCode, resp.Header.Get("Content-Type")
	f.Bytes, err = io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		f.Err = err.Error()
	}
	return f
}

// ImageFetches is every fetch of the media proxy so far, in the order the URLs were
// first used, once each; it waits (up to 15 s) for the fetches under way.
func (s *Server) ImageFetches() []ImageFetch {
	p := &s.proxy
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p.mu.Lock()
		out := make([]ImageFetch, 0, len(p.order))
		pending := false
		for _, u := range p.order {
			if f := p.fetches[u]; f != nil {
				out = append(out, *f)
			} else {
				pending = true
			}
		}
		p.mu.Unlock()
		if !pending || time.Now().After(deadline) {
			return out
		}
	}
}

// Image is what the media proxy got for url, waiting for a fetch under way; false
// when the URL was never in an embed.
func (s *Server) Image(url string) (ImageFetch, bool) {
	for _, f := range s.ImageFetches() {
		if f.URL == url {
			return f, true
		}
	}
	return ImageFetch{}, false
}
