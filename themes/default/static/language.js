// Language chooser: a reader arriving at the site's root is sent to the
// language their browser prefers. Without JavaScript, or when they came
// to choose (the #languages link in every footer), the page stays a list.
(function () {
  "use strict";
  if (location.hash === "#languages") {
    return;
  }
  var links = Array.prototype.slice.call(document.querySelectorAll(".language-list a[hreflang]"));
  var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
  function find(test) {
    for (var i = 0; i < wanted.length; i++) {
      var pref = String(wanted[i]).toLowerCase();
      for (var j = 0; j < links.length; j++) {
        if (test(links[j].getAttribute("hreflang").toLowerCase(), pref)) {
          return links[j];
        }
      }
    }
    return null;
  }
  var primary = function (tag) { return tag.split("-")[0]; };
  var match = find(function (code, pref) { return code === pref; }) ||
    find(function (code, pref) { return primary(code) === primary(pref); });
  if (match) {
    location.replace(match.href);
  }
})();
