// Study time for one lesson: progress events posted while the page is visible and the learner is active.
// The server credits at most the real time between two events; this script only says when to ask.
(function () {
  "use strict";
  var box = document.querySelector("[data-study]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var every = Math.max(1, parseInt(box.getAttribute("data-heartbeat"), 10) || 20) * 1000;
  var csrf = box.getAttribute("data-csrf");
  var IDLE_MS = 5 * 60 * 1000; // no scroll, key or touch for 5 minutes (and no video playing): not studying
  var videos = Array.prototype.slice.call(document.querySelectorAll("video"));
  var lastInput = Date.now();
  var timer = null;
  var idlePaused = false;

  ["scroll", "keydown", "pointerdown", "pointermove", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, function () { lastInput = Date.now(); }, { passive: true });
  });

  function watched() {
    var total = 0;
    videos.forEach(function (v) {
      for (var i = 0; i < v.played.length; i++) total += v.played.end(i) - v.played.start(i);
    });
    return total;
  }

  function playing() {
    return videos.some(function (v) { return !v.paused && !v.ended; });
  }

  function show(data) {
    if (!data || data.error) return;
    var minutes = box.querySelector("[data-study-minutes]");
    if (minutes) minutes.textContent = data.minutes;
    var video = box.querySelector("[data-video-percent]");
    if (video && data.video_percent !== null) video.textContent = data.video_percent;
    var hint = document.querySelector("[data-finish-hint]");
    if (hint && data.minutes_left === 0) hint.hidden = true;
    if (data.lesson_done) {
      var done = document.querySelector("[data-lesson-done]");
      if (done) done.hidden = false;
      stop(false);
      if (data.course_completed) window.location.reload();
    }
  }

  function send(event, beacon) {
    var form = new FormData();
    form.append("event", event);
    form.append("csrfmiddlewaretoken", csrf);
    if (videos.length) form.append("video_watched", watched().toFixed(1));
    if (beacon && navigator.sendBeacon) {
      navigator.sendBeacon(url, form);
      return;
    }
    fetch(url, { method: "POST", body: form, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(show)
      .catch(function () {});
  }

  function tick() {
    if (Date.now() - lastInput > IDLE_MS && !playing()) {
      if (!idlePaused) { idlePaused = true; send("pause"); }
      return;
    }
    if (idlePaused) { idlePaused = false; send("open"); return; }
    send("beat");
  }

  function start() {
    if (timer) return;
    idlePaused = false;
    send("open");
    timer = window.setInterval(tick, every);
  }

  function stop(notify) {
    if (!timer) return;
    window.clearInterval(timer);
    timer = null;
    if (notify !== false) send("pause", true);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") start(); else stop();
  });
  window.addEventListener("pagehide", function () { stop(); });
  if (document.visibilityState === "visible") start();
})();
