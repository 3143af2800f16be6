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
  var LEADER = "infrared-live-leader", BEAT = 1000, STALE = 4000, HIDDEN_STALE = 90000;
  var HELD = "infrared-live-held";
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
      if (message.name === "gone") return setTimeout(function () { claim(message.id); }, Math.random() * 50);
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

  // The election. The tab that listens holds a lease, {id, until}, under
  // LEADER, and renews it every BEAT. A visible holder's lease runs STALE
  // ahead; a hidden tab's timers may run only once a minute (browsers hold
  // them back), so a hidden holder's runs HIDDEN_STALE ahead, renewed as
  // it is hidden. Its stream's events are not timers: they still come and
  // are passed on.
  // - A tab claims the lease only once it has run out (its holder closed
  //   without a word, or died) or was given back: it writes its own id for
  //   STALE and listens if its id is still there a moment later (of tabs
  //   claiming at once, the last one written wins). A hidden tab claims
  //   from its timers only, not as an event comes, so a tab whose timers
  //   are held back claims nothing it could not keep.
  // - The holder learns at once, from the `storage` event (not a timer),
  //   that another id was written, and stops listening: two tabs never
  //   listen for longer than a claim takes.
  // - A holder that leaves or is frozen (its events would no longer be
  //   passed on) gives the lease back and says so (`gone`, with its id):
  //   the others claim at once, so none listens only for as long as a
  //   claim takes. The page a holder reloads into claims at once too
  //   (`remember`).
  // - A tab shown again (visibilitychange, pageshow, resume) checks the
  //   lease at once, not at its next beat: it renews it (now for STALE),
  //   yields it, or claims it if it ran out.
  function leader() {
    try { return JSON.parse(storage.getItem(LEADER)) || null; } catch (e) { return null; }
  }

  function lead() {
    var lease = source && document.visibilityState === "hidden" ? HIDDEN_STALE : STALE;
    try {
      storage.setItem(LEADER, JSON.stringify({ id: me, until: Date.now() + lease }));
      return true;
    } catch (e) {
      return false;
    }
  }

  // `left`: the id of a holder that left (its lease, given back, may not
  // have reached this tab's storage yet).
  function claim(left) {
    var held = leader();
    if (source || (held && held.id !== me && held.id !== left && Date.now() < held.until)) return;
    // Storage that takes nothing (full, refused): this tab listens for
    // itself, as every tab did before the election.
    if (!lead()) return (source = listen(pass));
    setTimeout(function () {
      var now = leader();
      if (source || !now || now.id !== me) return;
      source = listen(pass);
      lead();
      remember(me);
    }, 50 + Math.random() * 100);
  }

  function stop() {
    if (!source) return;
    source.close();
    source = null;
  }

  // A tab shown again, or a hidden holder: at once, not at the next beat.
  function recheck() {
    if (source || document.visibilityState !== "hidden") check();
  }

  // Renews the lease, yields it, or claims it.
  function check() {
    var held = leader();
    if (!source) return claim();
    if (held && held.id !== me) {
      remember(null);
      return stop();
    }
    lead();
  }

  // The id this tab listened with, kept in its sessionStorage across a
  // reload: the page loaded there takes the lease over at once, whether or
  // not the one it replaces has given it back yet (Chrome may run the old
  // page's `pagehide` after the new page's script).
  function remember(id) {
    try {
      if (id) sessionStorage.setItem(HELD, id);
      else sessionStorage.removeItem(HELD);
    } catch (e) { /* storage refused: claim as any tab */ }
  }

  function remembered() {
    try { return sessionStorage.getItem(HELD); } catch (e) { return null; }
  }

  // Gives the lease back, also one claimed but not listened with yet (a
  // page reloaded meanwhile): else the others wait until it runs out.
  function release() {
    var held = leader();
    var mine = held && held.id === me;
    if (!source && !mine) return;
    stop();
    if (mine) storage.removeItem(LEADER);
    channel.postMessage({ name: "gone", id: me });
  }

  function elect() {
    claim(remembered());
    remember(null);
    setInterval(check, BEAT);
    window.addEventListener("storage", function (event) {
      if (event.key !== LEADER && event.key !== null) return;
      if (source) check();
      else if (!event.newValue) setTimeout(claim, Math.random() * 50);
    });
    document.addEventListener("visibilitychange", recheck);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) recheck();
    });
    document.addEventListener("resume", recheck);
    // Leaving or frozen: the others need not wait until the lease runs out.
    window.addEventListener("pagehide", release);
    document.addEventListener("freeze", release);
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
