/* The Chronology's filters (book_ext.chronology): by theme, kind of event and state.
   Plain script, bundled with the book; it reads the page and changes only what is shown. */
(function () {
  "use strict";
  var GROUPS = [["theme", "Theme"], ["kind", "Kind of event"], ["state", "State"]];

  function start() {
    var vocabulary = document.querySelector("div.chron-filter");
    var entries = Array.prototype.slice.call(document.querySelectorAll("div.chron-entry"));
    if (!vocabulary || !entries.length) { return; }
    var words = {theme: [], kind: [], state: []};
    Array.prototype.forEach.call(vocabulary.querySelectorAll("li"), function (item) {
      var code = item.querySelector("code");
      if (!code) { return; }
      var parts = code.textContent.split(":");
      if (parts.length !== 2 || !words.hasOwnProperty(parts[0])) { return; }
      var name = item.textContent.replace(code.textContent, "").trim();
      words[parts[0]].push([parts[1], name]);
    });

    var form = document.createElement("form");
    form.className = "chron-controls";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter the chronology");
    var menus = {};
    GROUPS.forEach(function (group) {
      var label = document.createElement("label");
      label.appendChild(document.createTextNode(group[1]));
      var menu = document.createElement("select");
      menu.name = group[0];
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "all";
      menu.appendChild(all);
      words[group[0]].forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0];
        option.textContent = pair[1];
        menu.appendChild(option);
      });
      label.appendChild(menu);
      form.appendChild(label);
      menus[group[0]] = menu;
    });
    var reset = document.createElement("button");
    reset.type = "reset";
    reset.textContent = "Show all";
    form.appendChild(reset);
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    form.appendChild(count);
    vocabulary.parentNode.replaceChild(form, vocabulary);

    var years = Array.prototype.slice.call(document.querySelectorAll("section.book-section")).filter(
      function (section) { return section.querySelector("div.chron-entry"); });

    function apply() {
      var shown = 0;
      entries.forEach(function (entry) {
        var match = GROUPS.every(function (group) {
          var value = menus[group[0]].value;
          return !value || entry.classList.contains("chron-" + group[0] + "-" + value);
        });
        entry.hidden = !match;
        if (match) { shown += 1; }
      });
      years.forEach(function (section) {
        section.hidden = !section.querySelector("div.chron-entry:not([hidden])");
      });
      count.textContent = shown === entries.length ? "All " + shown + " events shown"
        : shown + " of " + entries.length + " events shown";
    }
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
