/* The hall choice's "nearest first": on a tap only, ask the browser where the phone is and
   reload the page with the position rounded to about a kilometre (enough to order halls, no
   more is sent). Old browsers: ES5, every feature checked. */
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button) return;
  if (!navigator.geolocation || !window.URLSearchParams) { button.hidden = true; return; }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        var params = new URLSearchParams(window.location.search);
        params.set("lat", pos.coords.latitude.toFixed(2));
        params.set("lon", pos.coords.longitude.toFixed(2));
        window.location.search = params.toString();
      },
      function () { button.textContent = button.getAttribute("data-denied"); button.disabled = true; },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
