// Runs inside h5p-standalone's content frame (customJs): H5P core's own requests carry
// Django's CSRF token, read from the player page that owns the frame.
(function () {
  var host = window.parent.document.getElementById("h5p-container");
  if (window.H5P && H5P.jQuery && host) {
    H5P.jQuery.ajaxSetup({ headers: { "X-CSRFToken": host.dataset.csrf } });
  }
})();
