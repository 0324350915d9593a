/*
 * Velkomst – progressive enhancement only. Every page works without
 * JavaScript; this file lets the design system (DKFDS, loaded before this
 * file with `defer`) wire up its components and adds a few conveniences:
 *
 *  - focus moves to the error summary after a refused form;
 *  - the language link carries what was typed in the page's forms across
 *    the switch (sessionStorage, same page only); where a form must keep
 *    its text for sure, the switch is a submit button of that form and
 *    needs no script;
 *  - a live character count on textareas with data-max-chars.
 *
 * The Content-Security-Policy allows no inline script or style, so all
 * behaviour lives in files like this one, served from /static. Words come
 * from the page (data-* attributes filled from the locales).
 */
(function () {
  'use strict';

  var root = document.documentElement;
  root.classList.remove('no-js');
  root.classList.add('js');

  var started = false;
  var CARRY_KEY = 'velkomst-carry';

  function focusErrorSummary() {
    var summary = document.getElementById('error-summary');
    if (summary && !summary.contains(document.activeElement)) {
      summary.focus();
    }
    // A link in the summary focuses its field (the anchor alone only scrolls).
    if (summary) {
      summary.addEventListener('click', function (ev) {
        var a = ev.target.closest ? ev.target.closest('a[href^="#"]') : null;
        if (!a) {
          return;
        }
        var target = document.getElementById(a.getAttribute('href').slice(1));
        if (!target) {
          return;
        }
        var field = target.matches('input, select, textarea, button') ? target
          : target.querySelector('input:not([type=hidden]), select, textarea');
        if (field) {
          ev.preventDefault();
          (target.querySelector('legend, label') || target).scrollIntoView();
          field.focus();
        }
      });
    }
  }

  // After an action the page opens at its message (#flash, the place of
  // the action); focusing it makes screen readers read it out.
  function focusFlash() {
    var flash = document.getElementById('flash');
    if (flash && !document.getElementById('error-summary')) {
      flash.focus();
    }
  }

  // Parts of a form that matter for one choice only (the outcome, when
  // closing a case): hidden until that radio is chosen. Without script they
  // stay visible, and the server ignores them for other choices.
  function showWhen() {
    var parts = document.querySelectorAll('[data-show-when]');
    Array.prototype.forEach.call(parts, function (part) {
      var radio = document.getElementById(part.getAttribute('data-show-when'));
      if (!radio || !radio.form) {
        return;
      }
      function update() {
        part.hidden = !radio.checked;
      }
      Array.prototype.forEach.call(radio.form.querySelectorAll('input[name="' + radio.name + '"]'), function (r) {
        r.addEventListener('change', update);
      });
      update();
    });
  }

  function fieldsOf(form) {
    var out = [];
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.name || el.type === 'hidden' || el.type === 'password' || el.type === 'submit' || el.type === 'button') {
        continue;
      }
      out.push(el);
    }
    return out;
  }

  function languageSwitch() {
    // On the mover's form and on a refused staff form the switch is a
    // submit button of the form (no script needed); on other pages it is a
    // link, and this carries what was typed to the same page in the other
    // language.
    var links = document.querySelectorAll('a[data-lang-switch]');
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener('click', function () {
        var target = new URL(link.href, window.location.href);
        var carry = { path: target.pathname, forms: [] };
        var forms = document.querySelectorAll('main form');
        var any = false;
        Array.prototype.forEach.call(forms, function (f, fi) {
          var values = fieldsOf(f).map(function (el) {
            if (el.type === 'checkbox' || el.type === 'radio') {
              if (el.checked !== el.defaultChecked) { any = true; }
              return { name: el.name, value: el.value, checked: el.checked };
            }
            if (el.tagName === 'SELECT') {
              var changed = Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
              if (changed) { any = true; }
              return { name: el.name, value: el.value };
            }
            if (el.value !== el.defaultValue) { any = true; }
            return { name: el.name, value: el.value };
          });
          carry.forms.push({ index: fi, action: f.getAttribute('action') || '', values: values });
        });
        try {
          if (any) {
            window.sessionStorage.setItem(CARRY_KEY, JSON.stringify(carry));
          } else {
            window.sessionStorage.removeItem(CARRY_KEY);
          }
        } catch (e) {
          // storage refused: the switch still works, without the typed text
        }
      });
    });
  }

  function restoreCarried() {
    var raw;
    try {
      raw = window.sessionStorage.getItem(CARRY_KEY);
      window.sessionStorage.removeItem(CARRY_KEY);
    } catch (e) {
      return;
    }
    if (!raw) {
      return;
    }
    var carry;
    try {
      carry = JSON.parse(raw);
    } catch (e) {
      return;
    }
    if (!carry || carry.path !== window.location.pathname) {
      return;
    }
    var forms = document.querySelectorAll('main form');
    carry.forms.forEach(function (saved) {
      var f = forms[saved.index];
      if (!f || (f.getAttribute('action') || '') !== saved.action) {
        return;
      }
      var els = fieldsOf(f);
      if (els.length !== saved.values.length) {
        return;
      }
      els.forEach(function (el, i) {
        var v = saved.values[i];
        if (v.name !== el.name) {
          return;
        }
        if (el.type === 'checkbox' || el.type === 'radio') {
          el.checked = !!v.checked;
        } else {
          el.value = v.value;
        }
      });
    });
  }

  function characterCounts() {
    var areas = document.querySelectorAll('textarea[data-max-chars]');
    Array.prototype.forEach.call(areas, function (area) {
      var max = parseInt(area.getAttribute('data-max-chars'), 10);
      var shown = document.getElementById(area.getAttribute('data-count-id'));
      if (!shown || !max) {
        return;
      }
      // The visible count follows every key; screen readers hear it once
      // typing pauses (a live region updated after a second's quiet).
      var spoken = document.createElement('p');
      spoken.className = 'sr-only';
      spoken.setAttribute('aria-live', 'polite');
      shown.removeAttribute('aria-live');
      shown.setAttribute('aria-hidden', 'true');
      shown.parentNode.insertBefore(spoken, shown.nextSibling);
      var timer = null;
      function text() {
        var n = max - area.value.length;
        var tpl = n >= 0 ? shown.getAttribute('data-left') : shown.getAttribute('data-over');
        shown.classList.toggle('is-over', n < 0);
        return tpl.replace('{n}', String(Math.abs(n)));
      }
      function update() {
        shown.textContent = text();
        if (timer) {
          window.clearTimeout(timer);
        }
        timer = window.setTimeout(function () { spoken.textContent = text(); }, 1000);
      }
      shown.hidden = false;
      shown.textContent = text();
      area.addEventListener('input', update);
    });
  }

  function start() {
    if (started) {
      return;
    }
    started = true;
    if (window.DKFDS && typeof window.DKFDS.init === 'function') {
      try {
        window.DKFDS.init();
      } catch (err) {
        // A component failing must not take the page down: it still works
        // as plain HTML.
        if (window.console && window.console.error) {
          window.console.error('DKFDS.init failed', err);
        }
      }
    }
    restoreCarried();
    languageSwitch();
    characterCounts();
    showWhen();
    focusErrorSummary();
    focusFlash();
  }

  if (document.readyState === 'complete') {
    start();
  } else {
    document.addEventListener('DOMContentLoaded', start);
    // Fallback if this file was injected after DOMContentLoaded fired.
    window.addEventListener('load', start);
  }
})();
