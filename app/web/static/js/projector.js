// Projector: checks the board's JSON every 10 s with If-None-Match and reloads the page when the
// board changed (a 304 changes nothing). A button pauses and resumes it (WCAG 2.2.1); without
// JavaScript the page has a Refresh link.
(function () {
  "use strict";
  var root = document.getElementById("projector");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-url");
  var toggle = document.getElementById("projector-pause");
  var state = document.getElementById("projector-state");
  var etag = null;
  var paused = false;

  function poll() {
    if (paused) { return; }
    var headers = {"Accept": "application/json"};
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, {headers: headers, credentials: "same-origin"}).then(function (response) {
      if (response.status === 304) { return; }
      if (!response.ok) { throw new Error(String(response.status)); }
      var fresh = response.headers.get("ETag");
      if (etag && fresh !== etag) { window.location.reload(); }
      etag = fresh;
    }).catch(function () {
      state.textContent = root.getAttribute("data-offline");
    });
  }

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      paused = !paused;
      toggle.setAttribute("aria-pressed", paused ? "true" : "false");
      toggle.textContent = root.getAttribute(paused ? "data-resume" : "data-pause");
    });
  }
  poll();
  window.setInterval(poll, 10000);
})();
