// Sign-in sheet import: while a big file is read by a worker, poll its progress and reload
// the preview page when it is ready (or refused). Without JavaScript the page says to reload.
(function () {
  "use strict";
  function poll() {
    var box = document.querySelector("[data-import-progress]");
    if (!box) return;
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var label = box.querySelector("[data-import-percent]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d) return;
          bar.value = d.progress;
          label.textContent = d.progress + "%";
          if (d.state === "parsing") {
            setTimeout(tick, 1000);
          } else {
            window.location.reload();
          }
        });
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", poll);
})();
