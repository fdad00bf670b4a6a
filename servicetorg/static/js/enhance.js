// Small improvements when JavaScript runs; every page works without it.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers and keyboard users start there.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  // Prevent a double click from sending the same form twice while the first is on its way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sending === "true") {
      event.preventDefault();
      return;
    }
    if (form.classList.contains("submit-once")) {
      form.dataset.sending = "true";
    }
  });
})();
