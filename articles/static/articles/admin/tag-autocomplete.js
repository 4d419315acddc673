// Suggests existing tags for the last comma-separated entry of a tag field.
// Without JavaScript the field is a plain comma-separated text input.
"use strict";
(function () {
  function attach(input) {
    const list = document.getElementById(input.getAttribute("list"));
    let pending = null;
    input.addEventListener("input", function () {
      const parts = input.value.split(",");
      const term = parts[parts.length - 1].trim();
      const done = parts.slice(0, -1).map((part) => part.trim()).filter(Boolean);
      clearTimeout(pending);
      if (term.length < 1) { list.replaceChildren(); return; }
      pending = setTimeout(function () {
        const url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(term);
        fetch(url, { credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then(function (data) {
            const prefix = done.length ? done.join(", ") + ", " : "";
            list.replaceChildren(...data.results
              .filter((name) => !done.includes(name))
              .map(function (name) {
                const option = document.createElement("option");
                option.value = prefix + (name.includes(",") || name.includes(" ") ? '"' + name + '"' : name) + ", ";
                option.label = name;
                return option;
              }));
          });
      }, 150);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(attach);
  });
})();
