// Runs inside h5p-standalone's content frame (customJs).
// 1. H5P core's own requests carry Django's CSRF token, read from the player page that owns the frame.
// 2. The frame is exactly as tall as the exercise, whenever it changes (feedback, score bar,
//    an image loading, the phone turning): H5P core resizes only on the content's own "resize"
//    events, which some libraries send before their feedback has grown; a ResizeObserver on
//    the content catches every change. The player page passes its height on to the lesson or
//    resource page (static/js/h5p-player.js, h5p-lesson.js): no inner scrollbar, nothing cut off.
(function () {
  var host = window.parent.document.getElementById("h5p-container");
  if (window.H5P && H5P.jQuery && host) {
    H5P.jQuery.ajaxSetup({ headers: { "X-CSRFToken": host.dataset.csrf } });
  }

  function fit(content) {
    var frame = window.frameElement;
    if (!frame || (window.parent.H5P && window.parent.H5P.isFullscreen)) return;
    var height = Math.ceil(content.getBoundingClientRect().bottom + (window.scrollY || 0));
    if (height > 0 && Math.abs((parseFloat(frame.style.height) || 0) - height) > 1) {
      frame.style.height = height + "px";
    }
  }

  function start() {
    var content = document.querySelector(".h5p-content");
    if (!content || !window.ResizeObserver) return;
    new ResizeObserver(function () { fit(content); }).observe(content);
    fit(content);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
