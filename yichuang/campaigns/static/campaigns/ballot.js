// At most N ticks: the counter says how many are chosen, and past N it says so and the
// submit button waits. The server enforces the same rule; this only saves a round trip.
(function () {
  var form = document.getElementById("ballot");
  if (!form) return;
  var max = parseInt(form.dataset.max, 10);
  var counter = document.getElementById("ballot-count");
  var submit = form.querySelector("button[name=cast]");
  function update() {
    var n = form.querySelectorAll("input[name=candidate]:checked").length;
    var over = n > max;
    counter.textContent = over
      ? form.dataset.overText.replace("%n", n).replace("%max", max)
      : form.dataset.countText.replace("%n", n).replace("%max", max);
    counter.classList.toggle("over", over);
    submit.disabled = over || n === 0;
  }
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    var n = form.querySelectorAll("input[name=candidate]:checked").length;
    if (!window.confirm(form.dataset.confirmText.replace("%n", n))) event.preventDefault();
  });
  update();
})();
