// H5P blocks on a lesson page: size each player frame to its content and show what the server
// decided about the learner's answers (the player page relays it with postMessage).
(function () {
  "use strict";
  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || !event.data || event.data.source !== "xinyu-h5p") return;
    var block = document.querySelector('[data-h5p-content-id="' + String(event.data.content) + '"]');
    if (!block) return;
    var data = event.data;
    if (data.height) block.querySelector("iframe").style.height = Math.ceil(data.height) + "px";
    if (data.passed) {
      var badge = block.querySelector("[data-h5p-passed-text]");
      var earlier = block.querySelector("[data-h5p-result]");
      if (badge && earlier && !earlier.textContent.trim()) badge.hidden = false;
    }
    if (data.lessonDone) {
      var done = document.querySelector("[data-lesson-done]");
      if (done) done.hidden = false;
    }
    if (data.courseCompleted) window.location.reload();
  });
})();
