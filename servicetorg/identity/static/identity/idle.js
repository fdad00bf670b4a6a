// Warn a logged-in resident two minutes before the idle logout (RESIDENT_IDLE_MINUTES).
// "Stay logged in" asks the server to note activity; without JavaScript, the next request after
// the logout goes to the login page and back to where the person was.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) {
    return;
  }
  var fullWait = Number(script.dataset.fullWait) * 1000;
  var timer = null;
  var notice = null;

  function showNotice() {
    notice = document.createElement("div");
    notice.className = "ds-alert idle-warning";
    notice.setAttribute("data-color", "warning");
    notice.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = script.dataset.text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ds-button";
    button.setAttribute("data-variant", "primary");
    button.textContent = script.dataset.button;
    button.addEventListener("click", stayLoggedIn);
    notice.append(text, button);
    (document.getElementById("main") || document.body).prepend(notice);
  }

  function wait(milliseconds) {
    if (notice) {
      notice.remove();
      notice = null;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(showNotice, milliseconds);
  }

  function stayLoggedIn() {
    fetch(script.dataset.keepalive, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.ok) {
          wait(fullWait);
        }
      });
  }

  // After "Stay logged in" the server's idle clock starts again: data-full-wait.
  wait(Number(script.dataset.warnIn) * 1000);
})();
