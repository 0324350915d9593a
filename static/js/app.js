/*
 * Velkomst – progressive enhancement only. Every page works without
 * JavaScript; this file just lets the design system (DKFDS, loaded before
 * this file with `defer`) wire up its components: accordions, alerts with
 * close buttons, tabs, modals, overflow menus, date pickers, …
 *
 * The Content-Security-Policy allows no inline script or style, so all
 * behaviour lives in files like this one, served from /static.
 */
(function () {
  'use strict';

  var root = document.documentElement;
  root.classList.remove('no-js');
  root.classList.add('js');

  var started = false;

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
  }

  if (document.readyState === 'complete') {
    start();
  } else {
    document.addEventListener('DOMContentLoaded', start);
    // Fallback if this file was injected after DOMContentLoaded fired.
    window.addEventListener('load', start);
  }
})();
