// Counts down to an attempt's deadline and submits the answers when time is up.
// The server enforces the deadline; this only helps the learner keep track.
(function () {
  "use strict";
  const attemptForm = document.getElementById("attempt-form");
  if (attemptForm) {
    // Before a deliberate submission, warn about questions left without an answer.
    attemptForm.addEventListener("submit", function (event) {
      if (attemptForm.dataset.timeUp === "true") return;
      const unanswered = Array.from(attemptForm.querySelectorAll("fieldset.question")).filter(function (fieldset) {
        const inputs = Array.from(fieldset.querySelectorAll("input, select"));
        return !inputs.some(function (input) {
          return (input.type === "radio" || input.type === "checkbox") ? input.checked : input.value.trim() !== "";
        });
      });
      if (unanswered.length && !window.confirm(attemptForm.dataset.unansweredWarning)) event.preventDefault();
    });
  }
  const timer = document.querySelector(".attempt-timer[data-deadline]");
  const form = document.getElementById("attempt-form");
  if (!timer || !form) return;
  const deadline = Date.parse(timer.dataset.deadline);
  const output = timer.querySelector(".attempt-countdown");
  const digits = new Intl.NumberFormat(document.documentElement.lang || "en", { minimumIntegerDigits: 2 });
  let submitted = false;
  form.addEventListener("submit", function (event) { if (!event.defaultPrevented) submitted = true; });
  function tick() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    output.textContent = digits.format(Math.floor(left / 60)) + ":" + digits.format(left % 60);
    if (left === 0 && !submitted) {
      submitted = true;
      form.dataset.timeUp = "true";
      form.requestSubmit();
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
