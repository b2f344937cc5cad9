/* The calling console's keys: N next, R recall, S skip, D done, P pause/resume, T transfer.
   Typing in a field never triggers a key. One press posts once: a second N while the page
   reloads must not call a second applicant. */
(function () {
  "use strict";
  var busy = false;
  document.addEventListener("keydown", function (e) {
    if (busy || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var key = (e.key || "").toLowerCase();
    if (key === "t") {
      var select = document.getElementById("transfer-to");
      if (select) { e.preventDefault(); select.focus(); }
      return;
    }
    var button = document.querySelector('button[data-key="' + key + '"]');
    if (button && !button.disabled) {
      e.preventDefault();
      busy = true;
      button.click();
    }
  });
  document.addEventListener("submit", function () { busy = true; });
})();
