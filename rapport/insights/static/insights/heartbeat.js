// Active time: once a minute, tell Rapport this page is in use — only if its person pressed a key,
// moved or clicked the mouse, touched or scrolled since the last beat and the tab is visible.
// Idle and hidden tabs stay silent, so the server counts their time as idle.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var url = script.dataset.heartbeatUrl;
  var csrfToken = script.dataset.csrfToken;
  var interval = 60 * 1000;
  var interacted = false;

  function markInteraction() {
    interacted = true;
  }

  ["keydown", "mousedown", "mousemove", "wheel", "scroll", "touchstart"].forEach(function (name) {
    window.addEventListener(name, markInteraction, { passive: true, capture: true });
  });

  function beat() {
    if (!interacted || document.visibilityState !== "visible") {
      return;
    }
    interacted = false;
    var body = new URLSearchParams();
    body.set("page", window.location.pathname);
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken },
      keepalive: true,
    }).catch(function () {
      // Offline or signed out: the next beat tries again; nothing to tell the person.
    });
  }

  window.setInterval(beat, interval);
})();
