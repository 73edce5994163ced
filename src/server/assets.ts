/**
 * The one script of the web application, served from /assets/app.js (the CSP allows
 * same-origin scripts only, never inline ones): a job page follows its job's progress by
 * server-sent events and shows the outcome when it ends. Pages work without it (a job page
 * then refreshes itself every two seconds through <noscript>).
 */
export const APP_JS = `'use strict';
(function () {
  var el = document.querySelector('[data-job-events]');
  if (!el || typeof EventSource === 'undefined') return;
  var bar = el.querySelector('progress');
  var text = el.querySelector('[data-progress-text]');
  var es = new EventSource(el.getAttribute('data-job-events'));
  es.addEventListener('progress', function (ev) {
    var p = JSON.parse(ev.data);
    if (bar) {
      if (p.total > 0) { bar.max = p.total; bar.value = p.done; } else { bar.removeAttribute('value'); }
    }
    if (text) text.textContent = p.text;
  });
  es.addEventListener('end', function () {
    es.close();
    window.location.reload();
  });
  es.onerror = function () {
    es.close();
    setTimeout(function () { window.location.reload(); }, 2000);
  };
})();
`;
