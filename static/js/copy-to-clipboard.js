// Copy buttons on playbook campaign kits: copies the text of the element named by
// data-copy-target. The buttons stay hidden where the Clipboard API is missing.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll("button.copy-button[data-copy-target]").forEach(function (button) {
    const target = document.getElementById(button.dataset.copyTarget);
    if (!target) return;
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = button.dataset.copiedLabel || label;
        button.classList.add("is-copied");
        const status = button.closest(".campaign-kit") && button.closest(".campaign-kit").querySelector(".copy-status");
        if (status) status.textContent = button.dataset.copiedLabel || "";
        window.setTimeout(function () {
          button.textContent = label;
          button.classList.remove("is-copied");
        }, 2000);
      });
    });
  });
})();
