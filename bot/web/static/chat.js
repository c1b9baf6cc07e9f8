// Progressive enhancement of the web chat: forms are posted with fetch so the page does
// not reload, and new or edited messages (results arriving later) are fetched every
// 1.5 s. Without this script the page works the same through plain form posts.
// The script's own texts come from the page, in its language (data-fout, data-offline
// on the text form); when the chat's language changes (the resident chose another),
// the page takes its language and direction (relang).
(function () {
  'use strict';
  var list = document.getElementById('gesprek');
  var input = document.getElementById('invoer');
  var notice = document.getElementById('melding');
  if (!list || !input || !window.fetch || !window.URLSearchParams) { return; }
  var busy = false;
  var texts = { error: input.getAttribute('data-fout') || '', offline: input.getAttribute('data-offline') || '' };
  var fresh = document.getElementById('nieuw');

  // below reports whether the newest message is out of view, under the fold.
  function below() {
    var last = list.lastElementChild;
    return last && last.getBoundingClientRect().top > window.innerHeight;
  }
  if (fresh) {
    fresh.addEventListener('click', function () {
      fresh.hidden = true;
      var last = list.lastElementChild;
      if (last) { last.scrollIntoView({ block: 'start' }); (last.hasAttribute('tabindex') ? last : input.elements.text).focus(); }
    });
    window.addEventListener('scroll', function () { if (!fresh.hidden && !below()) { fresh.hidden = true; } }, { passive: true });
  }

  // target is where focus goes for a new message: the message itself when it has
  // buttons (the question is read; Tab reaches the buttons), else the text field.
  function target() {
    var last = list.lastElementChild;
    return (last && last.hasAttribute('autofocus')) ? last : input.elements.text;
  }

  // apply puts changed messages in place, only those whose data-h differs, so a
  // screen reader announces what is new, not the whole conversation.
  function apply(d, focus) {
    if (typeof d.v === 'string') { relang(d.lang || 'nl', d.rtl === true); }
    if (d.nonce) { input.elements.nonce.value = d.nonce; }
    // the personal link, once the conversation has started since the page loaded
    var link = document.getElementById('link');
    if (d.link && link && link.hidden) {
      var a = document.getElementById('link-a');
      a.href = d.link;
      a.textContent = d.link;
      link.hidden = false;
    }
    if (typeof d.html !== 'string') { return; }
    var lost = !document.activeElement || document.activeElement === document.body ||
      !document.contains(document.activeElement);
    var tpl = document.createElement('template');
    tpl.innerHTML = d.html;
    var items = Array.prototype.slice.call(tpl.content.children);
    var grew = items.length > list.children.length;
    var at = -1; // the message that had focus, replaced
    items.forEach(function (li, i) {
      var old = list.children[i];
      if (!old) { list.appendChild(li); } else if (old.getAttribute('data-h') !== li.getAttribute('data-h')) {
        if (old.contains(document.activeElement)) { lost = true; at = i; }
        list.replaceChild(li, old);
      }
    });
    while (list.children.length > items.length) { list.removeChild(list.lastElementChild); }
    list.setAttribute('data-len', d.len);
    list.setAttribute('data-v', d.v);
    if (focus || (lost && at < 0)) {
      target().focus();
    } else if (lost) {
      // the message in focus was redrawn (a later one arrived): keep the place, do
      // not jump; the hint below says there is more
      var el = list.children[at];
      var b = el && el.querySelector('button');
      (b || (el && el.hasAttribute('tabindex') ? el : input.elements.text)).focus({ preventScroll: true });
    }
    // a message that arrived on its own (the results, later) out of view: say so
    if (fresh && grew && !focus && below()) { fresh.hidden = false; }
  }

  // relang follows the chat's language when it is no longer the page's (the resident
  // chose another): the page takes its language and direction at once, the page's own
  // texts follow at the next load; no reload, which would take focus and typing away.
  function relang(l, rtl) {
    var html = document.documentElement;
    if (l === html.lang) { return; }
    html.lang = l;
    if (rtl) { html.dir = 'rtl'; } else { html.removeAttribute('dir'); }
  }

  // place is where a tick button sits (message and button), so that focus stays on
  // it when the question is changed in place.
  function place(button) {
    if (!button || !button.hasAttribute('aria-pressed')) { return null; }
    var li = button.closest('li');
    return { li: Array.prototype.indexOf.call(list.children, li),
      b: Array.prototype.indexOf.call(li.querySelectorAll('button'), button) };
  }

  function post(form, submitter) {
    var body = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
    var keep = place(submitter);
    busy = true;
    fetch('/send', { method: 'POST', body: body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json().then(function (d) { d.ok = r.ok; return d; }); })
      .then(function (d) {
        notice.textContent = d.ok ? '' : (d.error || texts.error);
        if (d.ok && form === input) { input.elements.text.value = ''; }
        var again = keep && list.children[keep.li] && list.children[keep.li].querySelectorAll('button')[keep.b];
        apply(d, d.ok && !again);
        if (d.ok && again) { list.children[keep.li].querySelectorAll('button')[keep.b].focus(); }
      })
      .catch(function () { notice.textContent = texts.offline; })
      .then(function () { busy = false; });
  }

  document.addEventListener('submit', function (e) {
    if (e.target.getAttribute('action') !== '/send') { return; }
    e.preventDefault();
    if (!busy) { post(e.target, e.submitter); }
  });

  // Enter sends, Shift+Enter starts a new line, as in other chat apps.
  input.elements.text.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (!busy) { post(input, null); }
    }
  });

  setInterval(function () {
    if (busy || document.hidden) { return; }
    fetch('/updates?after=' + list.getAttribute('data-len') + '&v=' + encodeURIComponent(list.getAttribute('data-v')),
      { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && !busy) { apply(d, false); } })
      .catch(function () {});
  }, 1500);
}());
