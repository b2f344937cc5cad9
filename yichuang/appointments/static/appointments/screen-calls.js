/* The hall screen's voice: a chime made with the Web Audio API (no sound file, no network)
   and the browser's own speech synthesis when it has a Chinese voice. Old TV browsers run
   this too, so: ES5, and every feature checked before use.

   Each swap of the calls panel brings `data-latest` (the newest call's id); calls newer than
   the last one announced are chimed and spoken, oldest first. Calls already on the screen
   when it loads are not announced again. */
(function () {
  "use strict";
  var announced = null;
  var audio = null;
  var voice = null;

  function pickVoice() {
    if (!window.speechSynthesis) return;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn" || lang === "zh-hans" || lang === "cmn-hans-cn") { voice = voices[i]; return; }
    }
    for (var j = 0; j < voices.length; j++) {
      if ((voices[j].lang || "").toLowerCase().indexOf("zh") === 0) { voice = voices[j]; return; }
    }
  }

  function context() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    if (!audio) audio = new Ctx();
    return audio;
  }

  // Two soft tones, high then low ("ding-dong"), each fading out.
  function chime() {
    var ctx = context();
    if (!ctx || ctx.state === "suspended") return;
    var notes = [[988, 0], [784, 0.45]];
    for (var i = 0; i < notes.length; i++) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      var at = ctx.currentTime + notes[i][1];
      osc.type = "sine";
      osc.frequency.value = notes[i][0];
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.35, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.1);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 1.2);
    }
  }

  function speak(text) {
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance || !voice || !text) return;
    var u = new window.SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.85;
    window.speechSynthesis.speak(u);
  }

  function check() {
    var panel = document.getElementById("s-calls");
    if (!panel) return;
    var latest = parseInt(panel.getAttribute("data-latest"), 10) || 0;
    if (announced === null) { announced = latest; return; }
    if (latest <= announced) return;
    var items = panel.querySelectorAll("[data-call]");
    var fresh = [];
    for (var i = items.length - 1; i >= 0; i--) {
      if ((parseInt(items[i].getAttribute("data-call"), 10) || 0) > announced) fresh.push(items[i]);
    }
    announced = latest;
    // What the screen last announced, for whoever checks a TV from the browser's tools.
    document.body.setAttribute("data-announced", String(announced));
    if (!fresh.length) return;
    var now = panel.querySelector(".s-call-now");
    if (now) now.className += " s-flash";
    chime();
    setTimeout(function () {
      for (var k = 0; k < fresh.length; k++) {
        var text = fresh[k].getAttribute("data-speak");
        speak(text);
        speak(text); // said twice, as hall announcers do
      }
    }, 1300);
  }

  // Browsers keep sound off until someone touches the page; a TV set up with
  // --autoplay-policy=no-user-gesture-required never shows this button.
  function offerSound() {
    var ctx = context();
    if (!ctx || ctx.state !== "suspended" || document.getElementById("s-sound")) return;
    var button = document.createElement("button");
    button.id = "s-sound";
    button.className = "s-sound";
    button.appendChild(document.createTextNode(document.body.getAttribute("data-sound-label") || "开启提示音与语音播报"));
    button.onclick = function () {
      ctx.resume();
      button.parentNode.removeChild(button);
    };
    document.body.appendChild(button);
  }

  if (window.speechSynthesis) {
    pickVoice();
    if ("onvoiceschanged" in window.speechSynthesis) window.speechSynthesis.onvoiceschanged = pickVoice;
  }
  document.body.addEventListener("htmx:afterSettle", check);
  check();
  offerSound();
})();
