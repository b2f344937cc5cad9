/* Behaviour of the staff and public pages, wired through data-* attributes so that no page
   carries an inline script or on*= handler (Content-Security-Policy: script-src 'self').

   data-print              a button that prints the page
   data-autoprint          on the print button: print once as the page opens (then the
                           page's address drops its print=1, so a reload does not print again)
   data-confirm="…"        a button or link that asks before it acts; on a form, asks once
                           the form is valid, just before it is sent
   data-autosubmit         a select (or input) that submits its form when changed
   data-follow-first="sel" a search form whose Enter opens the first result matching sel
   data-materials-check    the intake form: lists the missing required materials
                           (data-missing-text, data-complete-text) and enables the buttons
                           marked data-needs-all / data-needs-missing accordingly; a ticked
                           reuse box (name=reuse, data-reuse-for=material id) stands for its
                           material
   data-inbox-row          a row of a list moved through with j (next) and k (previous);
                           Enter opens the focused row (it is a link)
   data-quick-search       the header's service search, focused with /
   data-copy="…"           a button that copies its text (a confirmation's number and query
                           code) and shows data-copied-text for a moment
   .table-wrap             a table's scroll box: while the table is wider than the box, the
                           box is a tab stop named after the table (keyboard scrolling)
   Content swapped in by htmx is covered: listeners are delegated from the document and
   forms are set up again on each htmx:load. */
(function () {
  "use strict";

  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-print]");
    if (el) { e.preventDefault(); window.print(); return; }
    el = e.target.closest("[data-confirm]");
    if (el && el.tagName !== "FORM" && !window.confirm(el.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
      return;
    }
    var intake = el.closest && el.closest("form[data-materials-check]");
    if (intake) { checkMaterials(intake); }
  });

  document.addEventListener("submit", function (e) {
    var question = e.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { e.preventDefault(); return; }
    var selector = e.target.getAttribute("data-follow-first");
    if (!selector) return;
    var first = document.querySelector(selector);
    if (first && first.href) { e.preventDefault(); window.location.href = first.href; }
  });

  // Keys typed into a field are the field's; j, k and / act only outside one.
  function typing(el) {
    return !!(el && el.closest && el.closest("input, textarea, select, [contenteditable]"));
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.isComposing || e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
    if (e.key === "/") {
      var search = document.querySelector("[data-quick-search]");
      if (search) { e.preventDefault(); search.focus(); }
      return;
    }
    if (e.key !== "j" && e.key !== "k") return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-inbox-row]"));
    if (!rows.length) return;
    e.preventDefault();
    var at = rows.indexOf(document.activeElement);
    var next = at < 0 ? 0 : Math.min(Math.max(at + (e.key === "j" ? 1 : -1), 0), rows.length - 1);
    rows[next].focus();
  });

  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-copy]");
    if (!el) return;
    e.preventDefault();
    copyText(el.getAttribute("data-copy"), function () {
      var label = el.textContent;
      el.textContent = el.getAttribute("data-copied-text") || label;
      el.setAttribute("data-copied", "");
      window.setTimeout(function () { el.textContent = label; el.removeAttribute("data-copied"); }, 2000);
    });
  });

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { if (copyBySelection(text)) done(); });
    } else if (copyBySelection(text)) {
      done();
    }
  }

  function copyBySelection(text) {  // plain http on an intranet has no clipboard API
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function checkMaterials(form) {
    var missing = [];
    var reused = {};
    form.querySelectorAll("input[name=reuse]:checked").forEach(function (box) {
      reused[box.getAttribute("data-reuse-for")] = true;
    });
    form.querySelectorAll("input[name=materials]").forEach(function (box) {
      if (box.dataset.required === "1" && !box.checked && !reused[box.value]) missing.push(box.dataset.name);
    });
    var out = form.querySelector("[data-missing]");
    if (out) {
      out.textContent = missing.length
        ? form.dataset.missingText + missing.join("、")
        : form.dataset.completeText;
      out.className = "msg " + (missing.length ? "warning" : "success");
    }
    form.querySelectorAll("[data-needs-all]").forEach(function (b) { b.disabled = missing.length > 0; });
    form.querySelectorAll("[data-needs-missing]").forEach(function (b) { b.disabled = missing.length === 0; });
  }

  function printOnOpen() {
    if (!document.querySelector("[data-autoprint]")) return;
    if (window.history.replaceState && window.URLSearchParams) {
      var params = new URLSearchParams(window.location.search);
      params.delete("print");
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }
    window.setTimeout(function () { window.print(); }, 0);
  }

  // A wide table scrolls sideways inside its .table-wrap (on a phone, most do). Without a
  // pointer the hidden columns are reached only by focusing the box and using the arrow
  // keys, so a box that scrolls is a tab stop and a region named after its table (the
  // caption, else the nearest heading before it). One that fits is no tab stop.
  function tableName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var node = wrap; node && node !== document.body; node = node.parentElement) {
      for (var sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) {
        if (/^H[1-4]$/.test(sib.tagName)) return sib.textContent.trim();
        var inside = sib.querySelectorAll("h1, h2, h3, h4");
        if (inside.length) return inside[inside.length - 1].textContent.trim();
      }
    }
    return document.title;
  }

  function markScrollable(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var named = wrap.hasAttribute("aria-label") || wrap.hasAttribute("aria-labelledby");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (!named) wrap.setAttribute("aria-label", tableName(wrap));
      wrap.setAttribute("data-scroll-focus", named ? "" : "named");
    } else if (!scrolls && wrap.hasAttribute("data-scroll-focus")) {
      if (wrap.getAttribute("data-scroll-focus") === "named") wrap.removeAttribute("aria-label");
      ["tabindex", "role", "data-scroll-focus"].forEach(function (a) { wrap.removeAttribute(a); });
    }
  }

  function markScrollables(root) {
    var around = root.closest && root.closest(".table-wrap");  // htmx swapped its insides
    if (around) markScrollable(around);
    if (root.querySelectorAll) root.querySelectorAll(".table-wrap").forEach(markScrollable);
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { markScrollables(document); }, 150);
  });

  function setUp(root) {
    if (root.matches && root.matches("form[data-materials-check]")) checkMaterials(root);
    if (root.querySelectorAll) root.querySelectorAll("form[data-materials-check]").forEach(checkMaterials);
    var intake = root.closest && root.closest("form[data-materials-check]");  // a swapped part
    if (intake) checkMaterials(intake);
    markScrollables(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); printOnOpen(); });
  } else {
    setUp(document);
    printOnOpen();
  }
  document.addEventListener("htmx:load", function (e) { setUp(e.detail.elt); });
})();
