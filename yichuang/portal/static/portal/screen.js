/* The hall screen (a TV, unattended). If the network drops, the TV keeps the last picture; a
   full reload every hour clears any drift. The clock ticks between htmx refreshes. */
(function () {
  "use strict";
  setTimeout(function () { location.reload(); }, 3600 * 1000);
  setInterval(function () {
    var el = document.getElementById("clock"); if (!el) return;
    var d = new Date(); el.textContent = d.toLocaleTimeString("zh-CN", {hour: "2-digit", minute: "2-digit"});
  }, 10000);
})();
