// Typeahead for the search box (titles from /search/suggest/) and instant facet filtering.
(function () {
  "use strict";
  var input = document.querySelector("[data-suggest-url]");
  if (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { list.innerHTML = ""; return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            list.innerHTML = "";
            data.suggestions.forEach(function (title) {
              var option = document.createElement("option");
              option.value = title;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
  var form = document.querySelector("[data-facet-form]");
  if (form) {
    form.addEventListener("change", function () { form.submit(); });
    var apply = form.querySelector("[data-facet-apply]");
    if (apply) { apply.classList.add("visually-hidden"); }
  }
})();
