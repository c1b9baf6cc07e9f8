package main

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/whatsapp/whatsapptest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/surveys"
)

// The WhatsApp residents of the cross-channel tests: the real serve's WhatsApp
// channel against whatsapptest, the fake Cloud API, with the templates of
// docs/whatsapp-templates.md approved; and web-chat residents driven through the
// chat's forms, as a browser without JavaScript.

const (
	waAppSecret   = "whatsapp-test-app-secret"
	waVerifyToken = "whatsapp-test-verify-token"
	waTemplates   = "uitnodiging=participatie_uitnodiging,herinnering=participatie_herinnering," +
		"uitslag=participatie_uitslag,besluit=participatie_besluit,bericht=participatie_bericht"
	waMunicipality = "Gemeente Dalfsen"
	// the title of the button of the templates that say something waits (docs/whatsapp-templates.md)
	waOpenPayload = "wa:open"
)

// waFake is the fake Cloud API of a harness, with a clock a test can move ahead
// (the customer service window runs on it).
type waFake struct {
	*whatsapptest.Server
	ahead atomic.Int64 // how far the fake's clock runs ahead of the real one
	wait  time.Duration
}

// withWhatsApp turns on serve's WhatsApp channel against a fake Cloud API: the
// templates approved (the body parameters of docs/whatsapp-templates.md, one
// quick-reply button each), the fake's throughput raised to the bot's
// WHATSAPP_RATE_LIMIT and still enforced, the pair rate Meta's. Call hook once
// serve runs.
func withWhatsApp(h *harness) *waFake {
	wa := &waFake{Server: whatsapptest.Start(h.t), wait: 60 * time.Second}
	wa.SetNow(func() time.Time { return time.Now().Add(time.Duration(wa.ahead.Load())) })
	for name, params := range map[string]int{"participatie_uitnodiging": 3, "participatie_herinnering": 3,
		"participatie_uitslag": 2, "participatie_besluit": 2, "participatie_bericht": 1} {
		wa.ApproveTemplate(name, "nl", params, 1)
	}
	// the bot sends at most 1000/s with a burst of 1000/16: 1100 in any second is
	// more than it may, so a refusal here is the bot's pacing failing
	lim := whatsapptest.DefaultLimits()
	lim.PerSecond = 1100
	wa.SetLimits(lim)
	for k, v := range map[string]string{
		"WHATSAPP_TOKEN": wa.Token(), "WHATSAPP_PHONE_NUMBER_ID": wa.PhoneNumberID(), "WHATSAPP_APP_SECRET": waAppSecret,
		"WHATSAPP_VERIFY_TOKEN": waVerifyToken, "WHATSAPP_API_BASE": wa.URL(), "WHATSAPP_TEMPLATES": waTemplates,
		"WHATSAPP_RATE_LIMIT": "1000", "GEMEENTE": waMunicipality,
	} {
		h.env[k] = v
	}
	h.t.Cleanup(func() {
		logs := h.logs.String()
		for _, secret := range []string{wa.Token(), waAppSecret, waVerifyToken} {
			if strings.Contains(logs, secret) {
				h.t.Errorf("a WhatsApp secret appears in the log")
			}
		}
	})
	return wa
}

// hook points the fake's webhook at serve's /whatsapp/webhook.
func (wa *waFake) hook(h *harness) {
	wa.SetWebhook(h.baseURL()+"whatsapp/webhook", waAppSecret)
}

// later moves the fake's clock d ahead: residents who wrote before are then outside
// their 24-hour window as Meta counts it, while the bot, which keeps each window in
// Redis against its own clock, still thinks it open, until Meta refuses a message
// with 131047.
func (wa *waFake) later(d time.Duration) { wa.ahead.Add(int64(d)) }

// waResident is one inwoner on WhatsApp, in the chat with the municipality's number.
type waResident struct {
	wa   *waFake
	id   string // wa_id
	key  int64  // the resident in expect
	last int    // index in the chat of the newest message handled
	// acted is when the resident last wrote or tapped, zero once the reply came;
	// slowest is the longest wait for a reply, and for what
	acted   time.Time
	slowest time.Duration
	slowFor string
	wrote   []string // the ids of the resident's messages, newest last, for failures
}

func (wa *waFake) resident(i int) *waResident {
	id := fmt.Sprintf("3161%07d", 2000+i)
	key, _ := strconv.ParseInt(id, 10, 64)
	return &waResident{wa: wa, id: id, key: key}
}

// describe renders a message as a resident sees it, for failures.
func describeWA(i int, m whatsapptest.Sent) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s", i, m.Type)
	if m.Interactive != "" {
		b.WriteString("/" + m.Interactive)
	}
	if m.Template != nil {
		fmt.Fprintf(&b, " %s %q payloads %v", m.Template.Name, m.Template.BodyParams, m.Template.QuickReplies)
	}
	if m.MediaID != "" {
		b.WriteString(" media " + m.MediaID)
	}
	fmt.Fprintf(&b, " %q", m.Text)
	for _, bt := range m.Buttons {
		fmt.Fprintf(&b, " [%s]", bt.Title)
	}
	for _, r := range m.Rows() {
		fmt.Fprintf(&b, " {%s|%s}", r.Title, r.Description)
	}
	return b.String()
}

// chat is what the resident saw, for failures.
func (r *waResident) chat() string {
	var lines []string
	for i, m := range r.wa.Chat(r.id) {
		lines = append(lines, describeWA(i, m))
	}
	return strings.Join(lines, "\n")
}

// find waits for the newest message at or after the last handled one that match
// accepts, and makes it the last handled.
func (r *waResident) find(what string, match func(whatsapptest.Sent) bool) (whatsapptest.Sent, error) {
	var found whatsapptest.Sent
	if testwait.Poll(r.wa.wait, func() bool {
		msgs := r.wa.Chat(r.id)
		for i := len(msgs) - 1; i >= r.last; i-- {
			if match(msgs[i]) {
				found, r.last = msgs[i], i
				return true
			}
		}
		return false
	}) {
		if !r.acted.IsZero() {
			if d := time.Since(r.acted); d > r.slowest {
				r.slowest, r.slowFor = d, what
			}
			r.acted = time.Time{}
		}
		return found, nil
	}
	return found, fmt.Errorf("WhatsApp resident %s: no %s after #%d; chat:\n%s\ntheir last messages' webhook posts:\n%s",
		r.id, what, r.last, r.chat(), r.posts(3))
}

// note notes the id of a message the resident sent.
func (r *waResident) note(id string) {
	r.acted = time.Now()
	r.wrote = append(r.wrote, id)
}

// posts says how the resident's last n messages reached the webhook: every post with
// its attempt, time and answer, for failures.
func (r *waResident) posts(n int) string {
	ids := r.wrote[max(len(r.wrote)-n, 0):]
	var b strings.Builder
	ds := r.wa.Deliveries()
	for _, id := range ids {
		fmt.Fprintf(&b, "  %s:", id)
		for _, d := range ds {
			if d.Kind == "message" && d.MessageID == id {
				fmt.Fprintf(&b, " #%d %s %d%s", d.Attempt, d.Time.Format("15:04:05.000"), d.HTTPStatus, d.Err)
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "  (%d notifications posted in all, the last at %s)", len(ds), lastPost(ds))
	for _, c := range r.wa.Calls() {
		if c.To == r.id && c.Code != 0 {
			fmt.Fprintf(&b, "\n  refused %s %s: %d %d %s", c.Time.Format("15:04:05.000"), c.Type, c.Status, c.Code, c.Message)
		}
	}
	fmt.Fprintf(&b, "\n  the fake's limits: %+v", r.wa.LimitStats())
	return b.String()
}

func lastPost(ds []whatsapptest.Delivery) string {
	if len(ds) == 0 {
		return "never"
	}
	return ds[len(ds)-1].Time.Format("15:04:05.000")
}

// await waits for a message whose text contains s.
func (r *waResident) await(s string) (whatsapptest.Sent, error) {
	return r.find(fmt.Sprintf("message containing %q", s), func(m whatsapptest.Sent) bool { return strings.Contains(m.Text, s) })
}

// awaitTemplate waits for the template name.
func (r *waResident) awaitTemplate(name string) (whatsapptest.Sent, error) {
	return r.find("template "+name, func(m whatsapptest.Sent) bool { return m.Template != nil && m.Template.Name == name })
}

// shows says whether a button or row title shows label: the label itself, or cut
// to max characters with "…" as narrow buttons cut it.
func shows(title, label string, max int) bool {
	return title == label || title == bot.ClipBy(label, max, bot.Runes.Len)
}

// press taps the reply button or picks the list row showing label on the newest
// message at or after the last handled one that has it (a list's row also when its
// description holds the whole label), waiting for it to arrive.
func (r *waResident) press(label string) error {
	var tap func()
	_, err := r.find(fmt.Sprintf("button or row %q", label), func(m whatsapptest.Sent) bool {
		for _, b := range m.Buttons {
			if shows(b.Title, label, 20) {
				tap = func() { r.tap(m, b) }
				return true
			}
		}
		for _, row := range m.Rows() {
			if shows(row.Title, label, 24) || row.Description == label {
				tap = func() { r.note(r.wa.PickRow(r.id, m.MessageID, row.ID, row.Title, row.Description)) }
				return true
			}
		}
		return false
	})
	if err != nil {
		return err
	}
	tap()
	return nil
}

// step waits for a message containing s, then taps label.
func (r *waResident) step(s, label string) error {
	if _, err := r.await(s); err != nil {
		return err
	}
	return r.press(label)
}

// tap presses reply button b of message m.
func (r *waResident) tap(m whatsapptest.Sent, b whatsapptest.Button) {
	r.note(r.wa.PressButton(r.id, m.MessageID, b.ID, b.Title))
}

// tapTemplate presses the quick-reply button with payload of the newest template
// that has it; text is the button's label.
func (r *waResident) tapTemplate(payload, text string) {
	r.note(r.wa.PressTemplateButton(r.id, payload, text))
}

// say types a message.
func (r *waResident) say(text string) {
	r.note(r.wa.SendText(r.id, text))
}

// join says "start" and answers the age question, the consent (which names the
// municipality) and the kern.
func (r *waResident) join(age, kern string) error {
	r.say("start")
	if err := r.step("hoe oud bent u", age); err != nil {
		return err
	}
	if _, err := r.await("Gaat u akkoord"); err != nil {
		return err
	}
	if err := r.press("Ja, ik doe mee"); err != nil {
		return err
	}
	if err := r.step("In welke kern woont u", kern); err != nil {
		return err
	}
	_, err := r.await("Bedankt!")
	return err
}

// triad is one wie-van-de-drie step as a resident saw it.
type triad struct {
	pick  string
	shown []string
}

// record notes what resident key answered following plan(i), with the triads as
// they were shown, as answerRound does for Telegram.
func (e *expect) record(key int64, i int, goed, beter string, triads []triad) {
	pos, ks, lik, cijfer, skipBeter := plan(i)
	for t, tr := range triads {
		a := surveys.Answer{Winner: e.id("waarden", tr.pick)}
		for _, l := range tr.shown {
			if l != tr.pick {
				a.Losers = append(a.Losers, e.id("waarden", l))
			}
		}
		e.answer(key, fmt.Sprintf("waarden#%d", t), a)
	}
	e.add("positie", posities[pos])
	e.answer(key, "positie", surveys.Answer{Options: []string{e.id("positie", posities[pos])}})
	var kansIDs []string
	for _, k := range ks {
		e.add("kansen", kansen[k])
		kansIDs = append(kansIDs, e.id("kansen", kansen[k]))
	}
	e.answer(key, "kansen", surveys.Answer{Options: kansIDs})
	e.add("luistert", likert[lik])
	e.answer(key, "luistert", surveys.Answer{Options: []string{fmt.Sprint(lik + 1)}})
	e.add("cijfer", fmt.Sprint(cijfer))
	e.answer(key, "cijfer", surveys.Answer{Options: []string{fmt.Sprint(cijfer)}})
	e.answer(key, "goed", surveys.Answer{Text: goed})
	if skipBeter {
		e.answer(key, "beter", surveys.Answer{Skipped: true})
	} else {
		e.answer(key, "beter", surveys.Answer{Text: beter})
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, tr := range triads {
		e.wins[tr.pick]++
		for _, l := range tr.shown {
			e.shown[l]++
		}
	}
	e.open["goed"] = append(e.open["goed"], goed)
	if skipBeter {
		e.skipped["beter"]++
	} else {
		e.open["beter"] = append(e.open["beter"], beter)
	}
}

// poolLabels maps a wie-van-de-drie button's title to the option it shows: reply
// buttons hold 20 characters, so a longer label is cut.
func poolLabels(sv *surveys.Survey, qid string) (map[string]string, error) {
	out := map[string]string{}
	for _, q := range sv.Questions {
		if q.ID != qid {
			continue
		}
		for _, o := range q.Options {
			title := bot.ClipBy(o.Label, 20, bot.Runes.Len)
			if o.Short != "" {
				title = o.Short
			}
			if prev, dup := out[title]; dup {
				return nil, fmt.Errorf("options %q and %q show as the same button %q", prev, o.Label, title)
			}
			out[title] = o.Label
		}
	}
	return out, nil
}

// answer takes resident i from the round's first question through all seven,
// following plan(i), and records the answers in exp. The invitation was handled
// (its button pressed, or its template's). before7, when not nil, runs before the
// last question is answered.
func (r *waResident) answer(i int, exp *expect, pool map[string]string, before7 func() error) error {
	pos, ks, lik, cijfer, skipBeter := plan(i)
	if err := r.step("Vraag 1 van 7", posities[pos]); err != nil {
		return err
	}
	// multiple choice: every tick comes back as a new list (WhatsApp edits nothing)
	if _, err := r.await("Vraag 2 van 7"); err != nil {
		return err
	}
	for _, k := range ks {
		if err := r.press("☐ " + kansen[k]); err != nil {
			return err
		}
		ticked := "✅ " + kansen[k]
		if _, err := r.find("the list with "+ticked, func(m whatsapptest.Sent) bool {
			for _, row := range m.Rows() {
				if row.Title == ticked {
					return true
				}
			}
			return false
		}); err != nil {
			return err
		}
	}
	if err := r.press("Klaar"); err != nil {
		return err
	}
	if err := r.step("Vraag 3 van 7", likert[lik]); err != nil {
		return err
	}
	if err := r.step("Vraag 4 van 7", fmt.Sprint(cijfer)); err != nil {
		return err
	}
	if _, err := r.await("Vraag 5 van 7"); err != nil {
		return err
	}
	goed := fmt.Sprintf("Korte lijnen met de gemeente 👍 (WhatsApp %d)", i)
	r.say(goed)
	var triads []triad
	for t := 1; t <= 2; t++ {
		m, err := r.await(fmt.Sprintf("Vraag 6 van 7 · keuze %d van 2", t))
		if err != nil {
			return err
		}
		if len(m.Buttons) != 3 || m.Interactive != "button" {
			return fmt.Errorf("WhatsApp resident %s: wie van de drie is %s, want three reply buttons", r.id, describeWA(r.last, m))
		}
		var tr triad
		for _, b := range m.Buttons {
			l, ok := pool[b.Title]
			if !ok {
				return fmt.Errorf("WhatsApp resident %s: button %q is no option of the pool", r.id, b.Title)
			}
			tr.shown = append(tr.shown, l)
		}
		tr.pick = tr.shown[i%3]
		r.tap(m, m.Buttons[i%3])
		triads = append(triads, tr)
	}
	if _, err := r.await("Vraag 7 van 7"); err != nil {
		return err
	}
	if before7 != nil {
		if err := before7(); err != nil {
			return err
		}
	}
	beter := fmt.Sprintf("Meer terugkoppeling over besluiten (WhatsApp %d)", i)
	if skipBeter {
		if err := r.press("Overslaan"); err != nil {
			return err
		}
	} else {
		r.say(beter)
	}
	if _, err := r.await("Klaar, bedankt!"); err != nil {
		return err
	}
	exp.record(r.key, i, goed, beter, triads)
	return nil
}

// webResident is one inwoner in the web chat, with a browser that follows the
// chat's forms; unlike webClient it returns errors, so that many can run at once.
type webResident struct {
	base string
	c    *http.Client
	page string
	key  int64
}

func newWebResident(base string, key int64) (*webResident, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	return &webResident{base: strings.TrimRight(base, "/"), c: &http.Client{Jar: jar, Timeout: 30 * time.Second}, key: key}, nil
}

func (w *webResident) do(req *http.Request) (string, error) {
	resp, err := w.c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("web resident %d: %s %s: %d\n%s", w.key, req.Method, req.URL, resp.StatusCode, b)
	}
	return string(b), nil
}

// fetch gets path (an attachment) without leaving the chat page.
func (w *webResident) fetch(path string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, w.base+path, nil)
	if err != nil {
		return nil, err
	}
	body, err := w.do(req)
	return []byte(body), err
}

func (w *webResident) get(path string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, w.base+path, nil)
	if err != nil {
		return "", err
	}
	body, err := w.do(req)
	if err == nil && !strings.HasSuffix(path, ".json") {
		w.page = body
	}
	return body, err
}

func (w *webResident) post(action string, form url.Values) error {
	req, err := http.NewRequest(http.MethodPost, w.base+action, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", w.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	page, err := w.do(req)
	if err != nil {
		return err
	}
	w.page = page
	if action == "/send" && !strings.Contains(page, `id="gesprek"`) {
		return fmt.Errorf("web resident %d: after posting, not the chat page:\n%s", w.key, page)
	}
	return nil
}

// buttons are the labels of the buttons of the newest form with buttons.
func (w *webResident) buttons() []string {
	forms := formRe.FindAllStringSubmatch(w.page, -1)
	for i := len(forms) - 1; i >= 0; i-- {
		var labels []string
		for _, b := range buttonRe.FindAllStringSubmatch(forms[i][2], -1) {
			if b[1] == "data" {
				labels = append(labels, shownLabel(b))
			}
		}
		if len(labels) > 0 {
			return labels
		}
	}
	return nil
}

// press submits the newest form with a button labelled label, as a browser does;
// the page the chat answers holds the bot's reply.
func (w *webResident) press(label string) error {
	forms := formRe.FindAllStringSubmatch(w.page, -1)
	for i := len(forms) - 1; i >= 0; i-- {
		for _, b := range buttonRe.FindAllStringSubmatch(forms[i][2], -1) {
			if shownLabel(b) != label {
				continue
			}
			form := url.Values{}
			for _, hv := range hiddenRe.FindAllStringSubmatch(forms[i][2], -1) {
				form.Set(hv[1], html.UnescapeString(hv[2]))
			}
			if b[1] != "" {
				form.Set(b[1], html.UnescapeString(b[2]))
			}
			return w.post(forms[i][1], form)
		}
	}
	return fmt.Errorf("web resident %d: no button %q on the page:\n%s", w.key, label, w.page)
}

// typeText sends text through the chat's input field.
func (w *webResident) typeText(text string) error {
	for _, f := range formRe.FindAllStringSubmatch(w.page, -1) {
		if !strings.Contains(f[2], `name="text"`) || !strings.Contains(f[2], "<textarea") {
			continue
		}
		form := url.Values{}
		for _, hv := range hiddenRe.FindAllStringSubmatch(f[2], -1) {
			form.Set(hv[1], html.UnescapeString(hv[2]))
		}
		form.Set("text", text)
		return w.post(f[1], form)
	}
	return fmt.Errorf("web resident %d: no input field on the page:\n%s", w.key, w.page)
}

// expectPage checks that the page shows s.
func (w *webResident) expectPage(s string) error {
	if !strings.Contains(w.page, html.EscapeString(s)) {
		return fmt.Errorf("web resident %d: the page does not show %q:\n%s", w.key, s, w.page)
	}
	return nil
}

// awaitPage reloads the chat until it shows s.
func (w *webResident) awaitPage(s string, timeout time.Duration) error {
	var err error
	if testwait.Poll(timeout, func() bool {
		_, err = w.get("/")
		return err == nil && strings.Contains(w.page, html.EscapeString(s))
	}) {
		return nil
	}
	return errors.Join(err, fmt.Errorf("web resident %d: the chat does not show %q:\n%s", w.key, s, w.page))
}

// join starts the chat and answers the age question, the consent and the kern.
func (w *webResident) join(age, kern string) error {
	if _, err := w.get("/"); err != nil {
		return err
	}
	for _, label := range []string{"Beginnen", age, "Ja, ik doe mee", kern} {
		if err := w.press(label); err != nil {
			return err
		}
	}
	return w.expectPage("Bedankt!")
}

// answer takes web resident i through the round, from its invitation, following
// plan(i).
func (w *webResident) answer(i int, exp *expect) error {
	if err := w.awaitPage("Er staat een nieuwe vragenronde", 60*time.Second); err != nil {
		return err
	}
	pos, ks, lik, cijfer, skipBeter := plan(i)
	if err := w.press("Doe mee"); err != nil {
		return err
	}
	if err := w.expectPage("Vraag 1 van 7"); err != nil {
		return err
	}
	if err := w.press(posities[pos]); err != nil {
		return err
	}
	if err := w.expectPage("Vraag 2 van 7"); err != nil {
		return err
	}
	for _, k := range ks {
		if err := w.press("☐ " + kansen[k]); err != nil {
			return err
		}
	}
	for _, step := range []struct{ label, next string }{{"Klaar", "Vraag 3 van 7"}, {likert[lik], "Vraag 4 van 7"}, {fmt.Sprint(cijfer), "Vraag 5 van 7"}} {
		if err := w.press(step.label); err != nil {
			return err
		}
		if err := w.expectPage(step.next); err != nil {
			return err
		}
	}
	goed := fmt.Sprintf("Korte lijnen met de gemeente 👍 (webchat %d)", i)
	if err := w.typeText(goed); err != nil {
		return err
	}
	var triads []triad
	for t := 1; t <= 2; t++ {
		if err := w.expectPage(fmt.Sprintf("Vraag 6 van 7 · keuze %d van 2", t)); err != nil {
			return err
		}
		labels := w.buttons()
		if len(labels) < 3 {
			return fmt.Errorf("web resident %d: triad buttons %q", w.key, labels)
		}
		tr := triad{pick: labels[i%3], shown: labels[:3]}
		if err := w.press(tr.pick); err != nil {
			return err
		}
		triads = append(triads, tr)
	}
	if err := w.expectPage("Vraag 7 van 7"); err != nil {
		return err
	}
	beter := fmt.Sprintf("Meer terugkoppeling over besluiten (webchat %d)", i)
	var err error
	if skipBeter {
		err = w.press("Overslaan")
	} else {
		err = w.typeText(beter)
	}
	if err != nil {
		return err
	}
	if err := w.expectPage("Klaar, bedankt!"); err != nil {
		return err
	}
	exp.record(w.key, i, goed, beter, triads)
	return nil
}

// waTexts are the texts of a WhatsApp chat but for the lists a multiple-choice tick
// sends anew ("Gekozen (1): …"), which repeat nothing.
func waTexts(msgs []whatsapptest.Sent) []string {
	var out []string
	for _, m := range msgs {
		if !strings.Contains(m.Text, "\n\nGekozen (") {
			out = append(out, m.Text)
		}
	}
	return out
}
