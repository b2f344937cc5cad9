/* The rating tablet at a window (服务评价器). ES5 only, no framework: old Android browsers.
   The page's <body> carries what the server decides: data-home (the waiting page),
   data-reset-seconds (the thank-you page's countdown) and data-waiting-seconds (how long the
   waiting page stays untouched before it looks again for the case the clerk hands over). */
(function () {
  var body = document.body;
  var home = body.getAttribute("data-home");
  var resetSeconds = parseInt(body.getAttribute("data-reset-seconds"), 10);
  var waitingSeconds = parseInt(body.getAttribute("data-waiting-seconds"), 10);
  var idle = 0, form = document.getElementById("rate");
  function touched() { idle = 0; }
  document.addEventListener("touchstart", touched, false);
  document.addEventListener("mousedown", touched, false);
  document.addEventListener("keydown", touched, false);
  if (form) {
    var submit = document.getElementById("submit"), faces = form.getElementsByClassName("face");
    submit.disabled = true;
    var choose = function (e) {
      for (var i = 0; i < faces.length; i++) { faces[i].className = "face"; }
      e.target.parentNode.className = "face selected";
      // The indicators show once a level is chosen; the reasons too when it is a bad one.
      form.className = parseInt(e.target.value, 10) <= 2 ? "chosen bad" : "chosen";
      submit.disabled = false;
    };
    for (var i = 0; i < faces.length; i++) {
      faces[i].getElementsByTagName("input")[0].addEventListener("change", choose, false);
    }
  }
  var count = document.getElementById("count");
  // Untouched, the page goes back to waiting for the clerk's next invitation.
  setInterval(function () {
    idle += 1;
    if (count) { count.innerHTML = Math.max(resetSeconds - idle, 0); if (idle >= resetSeconds) { location.href = home; } return; }
    // Waiting untouched: look again for the case the clerk hands over (请评价).
    var number = document.getElementById("number");
    if (number && !number.value && document.activeElement !== number && idle >= waitingSeconds) { location.href = home; return; }
    var chosen = form && form.getElementsByClassName("selected").length;
    if (idle >= (chosen ? 60 : 20)) { location.href = home; }
  }, 1000);
})();
