// infrared serve: reloads this page when it changes on disk and shows build
// problems. Added to pages by `infrared serve` only; never part of a build.
(function () {
  "use strict";
  var script = document.currentScript;
  var instance = script && script.getAttribute("data-instance");
  var here = location.pathname.replace(/index\.html$/, "");
  var source = new EventSource("/__infrared/events?path=" + encodeURIComponent(here));

  source.addEventListener("hello", function (event) {
    // A restarted server: this page may be out of date.
    if (instance && JSON.parse(event.data).instance !== instance) location.reload();
  });

  source.addEventListener("reload", function (event) {
    var paths = JSON.parse(event.data);
    var decoded = here;
    try { decoded = decodeURIComponent(here); } catch (e) { /* keep as is */ }
    if (paths.indexOf(here) >= 0 || paths.indexOf(decoded) >= 0) location.reload();
  });

  source.addEventListener("problems", function (event) {
    show(JSON.parse(event.data));
  });

  function show(problems) {
    var old = document.getElementById("infrared-problems");
    if (old) old.parentNode.removeChild(old);
    if (!problems.length) return;
    var panel = document.createElement("div");
    panel.id = "infrared-problems";
    panel.setAttribute("role", "alert");
    var intro = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "infrared serve: " + problems.length + (problems.length === 1 ? " problem." : " problems.");
    intro.appendChild(strong);
    intro.appendChild(document.createTextNode(" The last good version of each page is shown until it is fixed."));
    panel.appendChild(intro);
    problems.forEach(function (problem) {
      var pre = document.createElement("pre");
      pre.textContent = problem;
      panel.appendChild(pre);
    });
    document.body.insertBefore(panel, document.body.firstChild);
  }

  // The panel the server put in the page can be dismissed too.
  document.addEventListener("click", function (event) {
    var panel = document.getElementById("infrared-problems");
    if (panel && panel.contains(event.target) && event.target.tagName !== "PRE") panel.hidden = true;
  });
})();
