package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// bubbles is where the web chat draws its parts, in CSS px of the viewport.
type bubbles struct {
	Dir, Lang                   string
	ListLeft, ListRight         float64
	BotLeft, BotRight           float64 // the bot's newest bubble
	OwnLeft, OwnRight           float64 // the resident's own bubble
	TextLeft, TextRight         float64 // the text field
	SendLeft, SendRight         float64 // its send button
	LabelAlign, BotRadius, Back string
}

const measureBubbles = `(() => {
	const r = s => document.querySelector(s).getBoundingClientRect();
	const list = r('#gesprek'), bot = r('#gesprek li.bot:last-of-type'), own = r('#gesprek li.inwoner');
	const text = r('#tekst'), send = r('#invoer button[type=submit]');
	return {Dir: document.documentElement.dir, Lang: document.documentElement.lang,
		ListLeft: list.left, ListRight: list.right, BotLeft: bot.left, BotRight: bot.right,
		OwnLeft: own.left, OwnRight: own.right, TextLeft: text.left, TextRight: text.right,
		SendLeft: send.left, SendRight: send.right,
		LabelAlign: getComputedStyle(document.querySelector('#invoer label')).direction,
		BotRadius: getComputedStyle(document.querySelector('#gesprek li.bot:last-of-type')).borderTopRightRadius,
		Back: ''};
})()`

// language sets the browser's Accept-Language for every request, the page's and chat.js's.
func language(accept string) chromedp.Action {
	return chromedp.Tasks{network.Enable(), network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": accept})}
}

// begin opens the chat afresh and presses the welcome's button, whatever it says in
// the page's language, until the engine answered.
func begin(url string) chromedp.Action {
	return chromedp.Tasks{
		network.ClearBrowserCookies(),
		chromedp.Navigate(url),
		chromedp.WaitVisible(`#laatste form.keuzes button[name=text]`, chromedp.ByQuery),
		chromedp.Click(`#laatste form.keuzes button[name=text]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//li[contains(@class,'inwoner')]/following-sibling::li[contains(@class,'bot')][@id='laatste']`, chromedp.BySearch),
	}
}

// checkMirrored checks the layout of a chat in direction dir: left to right, the bot
// speaks from the left and the resident from the right, the text field comes before
// its button; right to left, all of it mirrored.
func checkMirrored(t *testing.T, b bubbles, dir, where string) {
	t.Helper()
	near := func(a, b float64) bool { return a-b < 1.5 && b-a < 1.5 }
	rtl := dir == "rtl"
	var ok bool
	if rtl {
		ok = near(b.BotRight, b.ListRight) && near(b.OwnLeft, b.ListLeft) && b.OwnRight < b.ListRight-1 &&
			b.SendRight <= b.TextLeft+1 && b.LabelAlign == "rtl"
	} else {
		ok = near(b.BotLeft, b.ListLeft) && near(b.OwnRight, b.ListRight) && b.OwnLeft > b.ListLeft+1 &&
			b.SendLeft >= b.TextRight-1 && b.LabelAlign == "ltr"
	}
	if !ok {
		t.Errorf("%s: layout %+v is not the %s one (bot from the start, resident from the end, text field before its button)", where, b, dir)
	}
	// the bot's bubble has its sharp corner at the start: top right in Arabic
	if sharp := b.BotRadius == "4px"; sharp != rtl {
		t.Errorf("%s: the bot bubble's top right radius is %s: want 4px only right to left", where, b.BotRadius)
	}
}

// TestBrowserWebChatArabic: a resident whose browser asks for Arabic reads the web
// chat right to left, mirrored, at 390 and 1280 px and without sideways scrolling at
// 320 px, with no axe-core violations; ?taal=ar does the same for a Dutch browser, and
// a Dutch resident keeps the left-to-right chat. It checks the page's direction and
// layout, not the engine's words, which become Arabic when translated.
func TestBrowserWebChatArabic(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in short mode")
	}
	h := newHarness(t)
	h.serve()
	base := h.baseURL()
	axe := axeSource(t)
	b := newBrowser(t)
	phone := chromedp.EmulateViewport(390, 844)
	laptop := chromedp.EmulateViewport(1280, 900)
	w320 := chromedp.EmulateViewport(320, 640)

	measure := func(where string) bubbles {
		var got bubbles
		do(t, b, "measure "+where, chromedp.Evaluate(measureBubbles, &got))
		return got
	}
	rtl := `html[dir="rtl"][lang="ar"]`

	// Accept-Language: ar
	do(t, b, "Arabic on a phone", language("ar-EG,ar;q=0.9,en;q=0.5"), phone, network.ClearBrowserCookies(),
		chromedp.Navigate(base), chromedp.WaitReady(rtl, chromedp.ByQuery))
	checkAxe(t, b, axe, "Arabic welcome at 390 px")
	do(t, b, "Arabic: begin", begin(base), chromedp.WaitReady(rtl, chromedp.ByQuery))
	checkMirrored(t, measure("Arabic at 390 px"), "rtl", "Arabic at 390 px")
	checkAxe(t, b, axe, "Arabic conversation at 390 px")
	keepDoc(t, b, "webchat-ar.png")

	do(t, b, "Arabic on a laptop", laptop, chromedp.Reload(), chromedp.WaitVisible(`li.inwoner`, chromedp.ByQuery), chromedp.WaitReady(rtl, chromedp.ByQuery))
	checkMirrored(t, measure("Arabic at 1280 px"), "rtl", "Arabic at 1280 px")
	checkAxe(t, b, axe, "Arabic conversation at 1280 px")

	do(t, b, "Arabic at 320 px", w320, chromedp.Reload(), chromedp.WaitVisible(`li.inwoner`, chromedp.ByQuery))
	checkReflow(t, b, "Arabic chat at 320 px (100%)")
	do(t, b, "Arabic at 320 px and 200%", narrow, chromedp.Reload(), chromedp.WaitVisible(`li.inwoner`, chromedp.ByQuery))
	checkReflow(t, b, "Arabic chat")
	for _, path := range []string{"privacy", "vergeetmij", "mijngegevens"} {
		do(t, b, "Arabic "+path, phone, chromedp.Navigate(base+path), chromedp.WaitReady(rtl, chromedp.ByQuery))
		checkAxe(t, b, axe, fmt.Sprintf("Arabic %s at 390 px", path))
	}

	// a Dutch browser: left to right, the same chat mirrored back
	for _, v := range []struct {
		name string
		vp   chromedp.Action
	}{{"390", phone}, {"1280", laptop}} {
		do(t, b, "Dutch at "+v.name, language("nl-NL,nl;q=0.9"), v.vp, begin(base), chromedp.WaitReady(`html[lang="nl"]:not([dir])`, chromedp.ByQuery))
		checkMirrored(t, measure("Dutch at "+v.name+" px"), "ltr", "Dutch at "+v.name+" px")
	}

	// ?taal=ar wins over a Dutch browser, and is remembered for the chat
	do(t, b, "?taal=ar", phone, begin(base+"?taal=ar"), chromedp.WaitReady(rtl, chromedp.ByQuery))
	checkMirrored(t, measure("?taal=ar at 390 px"), "rtl", "?taal=ar at 390 px")
	do(t, b, "?taal=ar remembered", chromedp.Navigate(base), chromedp.WaitVisible(`li.inwoner`, chromedp.ByQuery), chromedp.WaitReady(rtl, chromedp.ByQuery))
	checkAxe(t, b, axe, "?taal=ar at 390 px")
	_ = context.Background
}
