/* Answer box helpers: insert FAQ answers and courteous phrases at the cursor, Alt+digit for
   the ten phrases, Ctrl+Enter to send the answer, and a warning on forbidden brush-offs. */
(function () {
  function box() {
    return document.querySelector("[data-answer-box]");
  }
  function insert(text) {
    var area = box();
    if (!area || !text) return;
    var start = area.selectionStart || 0, end = area.selectionEnd || 0, value = area.value;
    area.value = value.slice(0, start) + text + value.slice(end);
    area.selectionStart = area.selectionEnd = start + text.length;
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  /* A suggestion's 转交此岗位 / 设为相关事项 fills the form's post select or service code. */
  function pick(selector, value) {
    var field = document.querySelector(selector);
    if (!field) return;
    field.value = value;
    var details = field.closest("details");
    if (details) details.open = true;
    field.focus();
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-insert]");
    if (button) { e.preventDefault(); insert(button.dataset.insert); }
    var post = e.target.closest("[data-pick-post]");
    if (post) { e.preventDefault(); pick('select[name="post"]', post.dataset.pickPost); }
    var service = e.target.closest("[data-pick-service]");
    if (service) { e.preventDefault(); pick('input[name="service"]', service.dataset.pickService); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey && /^[0-9]$/.test(e.key)) {
      var phrase = document.querySelector('.phrase[data-key="' + e.key + '"]');
      if (phrase) { e.preventDefault(); insert(phrase.dataset.insert); }
    }
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && e.target.matches("[data-answer-box]")) {
      var send = e.target.form && e.target.form.querySelector('button[value="answer"], button.send-answer');
      if (send) { e.preventDefault(); send.click(); }
    }
  });
  document.addEventListener("input", function (e) {
    if (!e.target.matches("[data-answer-box]")) return;
    var warning = document.querySelector(".forbidden-warning");
    if (!warning) return;
    var words = (warning.dataset.forbidden || "").split("|").filter(Boolean);
    warning.hidden = !words.some(function (w) { return e.target.value.indexOf(w) >= 0; });
  });
})();
