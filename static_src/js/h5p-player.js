// The H5P player page: h5p-standalone plays the content; every xAPI statement is posted to the
// server (with an id, so a retry is harmless) and the lesson page is told what changed.
// Statements that cannot decide a pass (sub-questions, interactions) wait, at most WAIT_MS or
// until the page is hidden, and go with the next top-level one in one POST (an xAPI array):
// one request per answer instead of five. A refused batch is sent again one by one, so one
// statement the server refuses never takes the others with it.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("h5p-config").textContent);
  var el = document.getElementById("h5p-container");
  var status = document.querySelector("[data-h5p-status]");
  var queue = [];
  var sending = false;

  function tellParent(message) {
    if (window.parent !== window) {
      message.source = "xinyu-h5p";
      message.content = config.id;
      window.parent.postMessage(message, window.location.origin);
    }
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var WAIT_MS = 3000;
  var MAX_BATCH = 50;
  var timer = null;
  var oneByOne = 0; // after a refused batch: how many queued statements go one per request

  function send(batch, keepalive) {
    return fetch(config.statementUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": el.dataset.csrf },
      body: JSON.stringify(batch.length === 1 ? batch[0] : batch),
    });
  }

  function flush(keepalive) {
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (sending || !queue.length) return;
    sending = true;
    var batch = queue.slice(0, oneByOne > 0 ? 1 : MAX_BATCH);
    send(batch, keepalive).then(function (response) {
      sending = false;
      if (response.status === 400 && batch.length > 1) {
        oneByOne = batch.length; // find the one refused; send the others
        flush();
        return;
      }
      if (response.status === 204 || response.status === 409 || response.status === 400) {
        queue.splice(0, batch.length);
        if (oneByOne > 0) oneByOne -= 1;
        status.textContent = "";
        if (response.status === 204) {
          tellParent({
            passed: response.headers.get("X-H5P-Passed") === "1",
            lessonDone: response.headers.get("X-Lesson-Done") === "1",
            courseCompleted: response.headers.get("X-Course-Completed") === "1",
          });
        }
        flush();
      } else {
        throw new Error(String(response.status));
      }
    }).catch(function () {
      sending = false;
      status.textContent = el.dataset.saveError;
      window.setTimeout(flush, 5000);
    });
  }

  function onStatement(event) {
    if (!config.tracking) return;
    var statement = event.data.statement;
    if (!statement.id) statement.id = uuid();
    queue.push(statement);
    var target = String((statement.object && statement.object.id) || "");
    if (target.indexOf("?subContentId=") === -1) {
      flush(); // a top-level statement may decide a pass: send it (and what waited) now
    } else if (!timer) {
      timer = window.setTimeout(flush, WAIT_MS);
    }
  }

  // Leaving or hiding the page sends what waits (keepalive lets the request outlive the page).
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush(true);
  });
  window.addEventListener("pagehide", function () { flush(true); });

  // The page's own height (not the document's scrollHeight, which never drops below the frame
  // the lesson page gave it): the lesson page follows it both ways.
  function resize() {
    tellParent({ height: Math.ceil(document.body.getBoundingClientRect().height) });
  }

  var options = {
    id: config.id,
    h5pJsonPath: config.h5pJsonPath,
    contentJsonPath: config.contentJsonPath,
    librariesPath: config.librariesPath,
    frameJs: el.dataset.frameJs,
    frameCss: el.dataset.frameCss,
    customJs: [el.dataset.frameCustomJs],
    xAPIObjectIRI: config.xAPIObjectIRI,
    frame: false,
    copyright: false,
    export: false,
    icon: false,
    fullScreen: false,
  };
  // H5P core fetches saved state for any user it is given: a user only with a state URL (an
  // editor's preview has neither; its statements go nowhere).
  if (config.stateUrl) {
    options.user = config.user;
    options.ajax = { contentUserDataUrl: config.stateUrl + "?type=:dataType&sub=:subContentId" };
  }
  if (config.saveState) {
    options.saveFreq = 15;
    if (config.previousState) {
      options.contentUserData = [{ dataType: "state", previousState: config.previousState, subContentId: "*" }];
    }
  }

  new H5PStandalone.H5P(el, options).then(function () {
    H5P.externalDispatcher.on("xAPI", onStatement);
    if (window.ResizeObserver) new ResizeObserver(resize).observe(document.body);
    resize();
    tellParent({ ready: true });
    document.body.setAttribute("data-h5p-ready", "1");
  }).catch(function () {
    status.textContent = el.dataset.error;
  });
})();
