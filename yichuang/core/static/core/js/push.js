/* Push (issue 18, core/push.py): a page whose parts htmx refreshes by polling is told of each
   change by server-sent events instead, and refreshes them at once.

   data-push="URL"        on an element htmx refreshes, with hx-trigger="push, every Ns": the
                          page opens one EventSource at URL (the first such element's); on each
                          event every [data-push] element gets the htmx event "push"
   data-push-since="N"    on it: the queue position the page was rendered at (replayed from
                          there, so a change between rendering and connecting is not missed)
   data-push-spread="ms"  on it: an event marked "later" (a ticket's page: another ticket of
                          its queue was called) refreshes within a random delay of up to ms,
                          so that hundreds of phones on one queue do not all ask at once; one
                          marked "now" (its own ticket) at once

   While the stream is open, the elements' own polls are dropped (htmx:confirm without a
   triggering event is a poll). Where there is no EventSource, or the server cannot stream
   (a WSGI server answers 204), or the stream is down, polling goes on as before; a closed
   stream is tried again after a while. A fragment that comes back without data-push (a
   finished ticket) closes the stream. ES5: hall TVs run old browsers. */
(function () {
  "use strict";
  if (!window.EventSource || !window.htmx) return;
  var source = null;
  var live = false;
  var pending = null;
  var pendingNow = false;
  var lastId = null;
  var retryAt = 0;
  var RETRY_CLOSED = 30000;

  function first() { return document.querySelector("[data-push]"); }

  function mark(on) {
    live = on;
    if (on) document.body.setAttribute("data-push-live", "1");
    else document.body.removeAttribute("data-push-live");
  }

  function refresh() {
    pending = null;
    pendingNow = false;
    var els = document.querySelectorAll("[data-push]");
    for (var i = 0; i < els.length; i++) window.htmx.trigger(els[i], "push");
  }

  function schedule(now) {
    if (pending && (pendingNow || !now)) return; // a burst of events: one refresh
    if (pending) clearTimeout(pending); // "now" overtakes a "later" one
    var el = first();
    var spread = now || !el ? 0 : parseInt(el.getAttribute("data-push-spread"), 10) || 0;
    pendingNow = now;
    pending = setTimeout(refresh, 30 + Math.floor(Math.random() * spread));
  }

  function open() {
    var el = first();
    if (!el || source || new Date().getTime() < retryAt) return;
    var url = el.getAttribute("data-push");
    var since = lastId || el.getAttribute("data-push-since");
    if (since) url += (url.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(since);
    source = new window.EventSource(url);
    source.onopen = function () { mark(true); };
    source.onerror = function () {
      mark(false);
      if (source && source.readyState === 2) { // closed for good: 204, 404, a non-stream
        source = null;
        retryAt = new Date().getTime() + RETRY_CLOSED;
        setTimeout(open, RETRY_CLOSED);
      }
    };
    source.addEventListener("queue", function (e) {
      if (e.lastEventId) lastId = e.lastEventId;
      schedule(e.data !== "later");
    });
  }

  function close() {
    if (source) { source.close(); source = null; }
    mark(false);
  }

  // The elements' polls wait while the stream is open.
  document.addEventListener("htmx:confirm", function (e) {
    var elt = e.detail && e.detail.elt;
    if (live && elt && elt.hasAttribute && elt.hasAttribute("data-push") && !e.detail.triggeringEvent) {
      e.preventDefault();
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!first()) close();
    else open();
  });

  open();
})();
