// infrared serve: reloads this page when it changes on disk and shows build
// problems. Added to pages by `infrared serve` only; never part of a build.
//
// A browser opens at most six connections to one server, and an event
// stream holds one for as long as its tab is open: with a stream per tab,
// the seventh tab would never load. So the tabs of one browser share one
// stream: the tab holding a lock listens and passes every event on to the
// others over a BroadcastChannel; when it closes, another takes the lock.
// Where there are no locks (plain HTTP from another machine) the tabs
// elect the one that listens through localStorage (see `elect`).
// Each tab tells the server now and then which page it shows, in a short
// request, so pages open anywhere are rendered first.
(function () {
  "use strict";
  var script = document.currentScript;
  var instance = script && script.getAttribute("data-instance");
  var version = script && script.getAttribute("data-version");
  // The addresses this tab shows as reload events name them: a folder's
  // with its final slash. At an address without it (a missing page, the
  // 404 page) the tab waits both for the file of that very name
  // (`/en/files/report.pdf`, a `static/` file) and for the page made at
  // the folder of that name (`/en/guides/new/`, `/en/guides/v1.2/`, a
  // slug `new.html`): the server answers the address with either.
  var here = location.pathname.replace(/index\.html$/, "");
  var names = /\/$/.test(here) ? [here] : [here, here + "/"];
  var query = "?path=" + encodeURIComponent(here);
  var OPEN_EVERY = 5000;

  var handlers = {
    hello: function (data) {
      // A restarted server: this page may be out of date.
      if (instance && JSON.parse(data).instance !== instance) return location.reload();
      // A stream opened since the page loaded (or after another tab's
      // closed) may have missed its reload: ask which version is served.
      if (!version) return;
      fetch(location.href, { method: "HEAD", cache: "no-store" }).then(function (response) {
        var served = response.headers.get("X-Infrared-Version");
        if (served && served !== version) location.reload();
      }).catch(function () { /* server away */ });
    },
    reload: function (data) {
      var paths = JSON.parse(data);
      var shown = names.some(function (name) {
        var decoded = name;
        try { decoded = decodeURIComponent(name); } catch (e) { /* keep as is */ }
        return paths.indexOf(name) >= 0 || paths.indexOf(decoded) >= 0;
      });
      if (shown) location.reload();
    },
    problems: function (data) {
      show(JSON.parse(data));
    }
  };

  // The one stream of this browser; `pass` hands each event to the other tabs.
  function listen(pass) {
    var source = new EventSource("/__infrared/events" + query);
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (event) {
        handlers[name](event.data);
        if (pass) pass({ name: name, data: event.data });
      });
    });
    return source;
  }

  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("infrared-live") : null;
  var storage = null;
  try { storage = window.localStorage; } catch (e) { /* storage refused */ }
  var pass = function (message) { channel.postMessage(message); };
  var LEADER = "infrared-live-leader", BEAT = 1000, STALE = 4000;
  var me = Math.random().toString(36).slice(2) + "-" + Date.now().toString(36);
  var source = null;
  if (channel && navigator.locks && navigator.locks.request) {
    navigator.locks.request("infrared-live", function () {
      listen(pass);
      return new Promise(function () { /* held while the tab lives */ });
    });
  } else if (channel && storage) {
    // Web Locks exist only on localhost and HTTPS: seen from another
    // machine over plain HTTP, the tabs elect the one that listens through
    // localStorage instead.
    elect();
  } else {
    listen(null);
  }
  if (channel) {
    channel.onmessage = function (event) {
      var message = event.data || {};
      if (message.name === "gone") return setTimeout(claim, Math.random() * 50);
      if (handlers.hasOwnProperty(message.name)) handlers[message.name](message.data);
    };
    var tellOpen = function () {
      if (document.visibilityState === "hidden") return;
      fetch("/__infrared/open" + query, { cache: "no-store" }).catch(function () { /* server away */ });
    };
    tellOpen();
    setInterval(tellOpen, OPEN_EVERY);
    document.addEventListener("visibilitychange", tellOpen);
  }

  // The election: the tab that listens writes {id, at} under LEADER every
  // BEAT; when that is older than STALE (the tab closed, or its timers are
  // held back while hidden), another tab writes its own id, and listens if
  // its id is still there a moment later (of tabs claiming at once, the
  // last one written wins). A listening tab that finds another's id there
  // stops listening, so two never listen for long.
  function leader() {
    try { return JSON.parse(storage.getItem(LEADER)) || null; } catch (e) { return null; }
  }

  function lead() {
    try {
      storage.setItem(LEADER, JSON.stringify({ id: me, at: Date.now() }));
      return true;
    } catch (e) {
      return false;
    }
  }

  function claim() {
    var held = leader();
    if (source || (held && held.id !== me && Date.now() - held.at < STALE)) return;
    // Storage that takes nothing (full, refused): this tab listens for
    // itself, as every tab did before the election.
    if (!lead()) return (source = listen(pass));
    setTimeout(function () {
      var now = leader();
      if (!source && now && now.id === me) source = listen(pass);
    }, 50 + Math.random() * 100);
  }

  function beat() {
    var held = leader();
    if (!source) return claim();
    if (held && held.id !== me) {
      source.close();
      source = null;
      return;
    }
    lead();
  }

  function elect() {
    claim();
    setInterval(beat, BEAT);
    // Leaving: the others need not wait until the record is stale.
    window.addEventListener("pagehide", function () {
      if (!source) return;
      source.close();
      source = null;
      var held = leader();
      if (held && held.id === me) storage.removeItem(LEADER);
      channel.postMessage({ name: "gone" });
    });
  }

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
