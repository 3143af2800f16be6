// Offline reading, in the reader's browser: registers the site's service
// worker (sw.js at the site's root, found from this script's own address so
// it works on any mirror) and runs the "Keep this language for offline
// reading" button. Never on file://, where service workers cannot run and
// the page is a copy on disk already.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) { return; }
  var root = new URL("../", document.currentScript.src).href;
  // Registering again does not look for a new build; update() does, so a
  // new build's worker (and its cache clean-up) arrives with the next page.
  navigator.serviceWorker.register(root + "sw.js", { scope: root }).then(function (registration) {
    if (navigator.onLine !== false && registration.active) { return registration.update(); }
  }).catch(function () {});

  var box = document.querySelector(".offline-keep[data-lang]");
  if (!box) { return; }
  var lang = box.getAttribute("data-lang");
  var button = box.querySelector("button");
  var status = box.querySelector(".offline-keep-status");
  function say(key, values) {
    var text = box.getAttribute("data-msg-" + key) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    status.textContent = text;
    // A message from another language than the page's says which.
    var from = box.getAttribute("data-msg-" + key + "-lang");
    var dir = box.getAttribute("data-msg-" + key + "-dir");
    if (from) { status.lang = from; } else { status.removeAttribute("lang"); }
    if (dir) { status.dir = dir; } else { status.removeAttribute("dir"); }
  }
  // While it works the button says so (aria-disabled) and ignores presses,
  // but stays focusable: a disabled button would drop the keyboard focus.
  function busy(on) {
    if (on) { button.setAttribute("aria-disabled", "true"); } else { button.removeAttribute("aria-disabled"); }
  }
  function worker() {
    return navigator.serviceWorker.ready.then(function (registration) { return registration.active; });
  }
  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.lang !== lang) { return; }
    if (data.type === "progress") {
      say("progress", { done: data.done, total: data.total });
    } else if (data.type === "kept") {
      busy(false);
      say("kept");
      box.setAttribute("data-kept", "");
    } else if (data.type === "keep-failed") {
      busy(false);
      say("failed");
    } else if (data.type === "status" && data.kept) {
      say("kept");
      box.setAttribute("data-kept", "");
    }
  });
  button.addEventListener("click", function () {
    if (button.getAttribute("aria-disabled") === "true") { return; }
    busy(true);
    say("progress", { done: 0, total: "…" });
    worker().then(function (active) { active.postMessage({ type: "keep", lang: lang }); }, function () {
      busy(false);
      say("failed");
    });
  });
  box.hidden = false;
  worker().then(function (active) { active.postMessage({ type: "status", lang: lang }); });
})();
