// Mobile navigation toggle; the page works without it (the menu is visible by default without JS).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Progress bars carry their percentage as data: the Content-Security-Policy allows no inline styles.
  Array.prototype.forEach.call(document.querySelectorAll("[data-progress]"), function (bar) {
    var percent = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-progress")) || 0));
    bar.style.width = percent + "%";
  });
  var toggle = document.querySelector("[data-nav-toggle]");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    nav.classList.toggle("is-open", !open);
  });
})();
