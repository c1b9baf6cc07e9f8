// Live counts for the dashboard: polls GET /dashboard/api/rounds every 2 seconds and
// updates the cells marked data-round (round id) and data-field (a field of the
// JSON). Text only (textContent), never HTML. The page is complete without it.
(function () {
  'use strict';
  var cells = document.querySelectorAll('[data-round][data-field]');
  if (!cells.length || !window.fetch) {
    return;
  }
  var interval = 2000;
  var live = document.querySelector('[data-live]');
  var toggle = document.querySelector('[data-live-toggle]');
  var status = document.querySelector('[data-live-status]');
  var ints = new Intl.NumberFormat('nl-NL');
  var paused = false;
  var stopped = false;
  var timer = null;

  function setText(el, text) {
    if (el && el.textContent !== text) {
      el.textContent = text;
    }
  }

  function value(r, field) {
    switch (field) {
      case 'respondents':
      case 'completed':
        return ints.format(r[field]);
      case 'invited':
        return r.invited_text || ints.format(r.invited);
      case 'response_rate':
        return r.response_rate_text;
      case 'state_label':
      case 'next':
        return r[field];
    }
    return null;
  }

  function update(rounds) {
    var byID = {};
    rounds.forEach(function (r) { byID[r.id] = r; });
    cells.forEach(function (el) {
      var r = byID[el.getAttribute('data-round')];
      if (!r) {
        return;
      }
      var v = value(r, el.getAttribute('data-field'));
      if (v !== null && v !== undefined) {
        setText(el, String(v));
      }
    });
  }

  function schedule() {
    clearTimeout(timer);
    if (!paused && !stopped && !document.hidden) {
      timer = setTimeout(poll, interval);
    }
  }

  function poll() {
    fetch('/dashboard/api/rounds', {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Accept': 'application/json' }
    }).then(function (res) {
      if (res.status === 401) {
        stopped = true;
        setText(status, 'U bent niet meer ingelogd. Laad de pagina opnieuw om in te loggen.');
        return null;
      }
      if (!res.ok) {
        throw new Error('status ' + res.status);
      }
      return res.json();
    }).then(function (rounds) {
      if (rounds) {
        update(rounds);
        setText(status, 'Bijgewerkt om ' + new Date().toLocaleTimeString('nl-NL'));
      }
    }).catch(function () {
      setText(status, 'Bijwerken lukt even niet; we proberen het zo opnieuw.');
    }).then(schedule);
  }

  if (live) {
    live.hidden = false;
  }
  if (toggle) {
    toggle.addEventListener('click', function () {
      paused = !paused;
      toggle.setAttribute('aria-pressed', paused ? 'true' : 'false');
      toggle.textContent = paused ? 'Bijwerken hervatten' : 'Bijwerken pauzeren';
      setText(status, paused ? 'Gepauzeerd.' : '');
      if (paused) {
        clearTimeout(timer);
      } else {
        poll();
      }
    });
  }
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) {
      clearTimeout(timer);
    } else if (!paused && !stopped) {
      poll();
    }
  });
  schedule();
}());
