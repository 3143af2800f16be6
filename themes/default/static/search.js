// infrared search, in the reader's browser: works on any mirror and from
// file://, so it is a classic script that uses no modules, no workers and,
// from disk, no fetch. Index files are classic scripts too; they call the
// __IR.* functions below. Only the manifest, the analyzer and the shards a
// query's terms fall in are downloaded, then the records of the first
// results (more on request).
(function () {
  "use strict";
  var script = document.currentScript;
  var siteRoot = new URL("../", script.src).href;
  var searchRoot = siteRoot + "search/";
  var fromDisk = location.protocol === "file:";
  var DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_$~.!";
  var FIRST = 5;
  var MORE = 10;
  var PREFIX_TERMS = 40;
  // Milliseconds an answer may take before the search page says it is loading.
  var LOADING_AFTER = 1000;

  var registered = { manifest: {}, shard: {}, tail: {}, inner: {}, front: {}, innerTable: {}, records: {}, analyzer: {} };
  window.__IR = {
    manifest: function (lang, value) { registered.manifest[lang] = value; },
    shard: function (lang, n, text) { registered.shard[lang + "/" + n] = text; },
    tail: function (lang, n, text) { registered.tail[lang + "/" + n] = text; },
    inner: function (lang, n, text) { registered.inner[lang + "/" + n] = text; },
    front: function (lang, n, text) { registered.front[lang + "/" + n] = text; },
    innerTable: function (lang, starts, ends) { registered.innerTable[lang] = { start: starts, end: ends || [] }; },
    records: function (lang, n, rows) { registered.records[lang + "/" + n] = rows; },
    analyzer: function (name, base64) { registered.analyzer[name] = base64; }
  };

  var scripts = {};
  function load(url) {
    if (!scripts[url]) {
      scripts[url] = new Promise(function (resolve, reject) {
        var element = document.createElement("script");
        element.src = url;
        element.onload = function () { resolve(); };
        element.onerror = function () { delete scripts[url]; reject(new Error("could not load " + url)); };
        document.head.appendChild(element);
      });
    }
    return scripts[url];
  }

  function manifest(lang) {
    return load(searchRoot + lang + "/manifest.js").then(function () { return registered.manifest[lang]; });
  }

  // Over HTTP the binary module (smaller), else, or if that fails, the
  // same module as base64 in a classic script.
  function analyzerBytes(m) {
    function fromScript() {
      return load(searchRoot + m.analyzer.file).then(function () {
        var binary = atob(registered.analyzer[m.analyzer.name]);
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
        return bytes;
      });
    }
    if (fromDisk || typeof fetch !== "function") { return fromScript(); }
    return fetch(searchRoot + m.analyzer.file.replace(/\.js$/, ".wasm")).then(function (response) {
      if (!response.ok) { throw new Error(response.statusText); }
      return response.arrayBuffer();
    }).catch(fromScript);
  }

  var analyzers = {};
  // Each language's analyzer once loaded, to mark the words results hold.
  var loaded = {};
  function analyzer(lang, m) {
    var name = m.analyzer.name;
    if (!analyzers[name]) {
      analyzers[name] = analyzerBytes(m).then(function (bytes) {
        return WebAssembly.instantiate(bytes, {});
      }).then(function (result) {
        var wasm = result.instance.exports;
        var encoder = new TextEncoder();
        var decoder = new TextDecoder();
        function put(bytes) {
          var at = wasm.alloc(bytes.length);
          new Uint8Array(wasm.memory.buffer, at, bytes.length).set(bytes);
          return at;
        }
        return function (code, text) {
          var l = encoder.encode(code);
          var t = encoder.encode(text);
          var lp = put(l);
          var tp = put(t);
          var out = wasm.analyze(lp, l.length, tp, t.length);
          var length = new DataView(wasm.memory.buffer).getUint32(out, true);
          var terms = decoder.decode(new Uint8Array(wasm.memory.buffer, out + 4, length));
          wasm.dealloc(lp, l.length);
          wasm.dealloc(tp, t.length);
          return terms ? terms.split("\n") : [];
        };
      });
    }
    return analyzers[name];
  }

  // The shard whose key (a start of its first term) is the greatest not after `term`.
  function shardFor(m, term) {
    return keyed(m.shards, term);
  }

  // In a list of [key, hash], the last whose key is not after `term`.
  function keyed(list, term) {
    var lo = 0;
    var hi = list.length - 1;
    var found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid][0] <= term) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function backwards(text) {
    return Array.from(text).reverse().join("");
  }

  // The terms of tail shard `n`, backwards, in order: each line is how many
  // letters it shares with the one before (a digit), then the rest.
  var parsedTails = {};
  function tail(lang, m, n) {
    var key = lang + "/" + n;
    if (parsedTails[key]) { return Promise.resolve(parsedTails[key]); }
    return load(searchRoot + lang + "/t-" + m.tails[n][1] + ".js").then(function () {
      var previous = "";
      parsedTails[key] = registered.tail[key].split("\n").map(function (line) {
        previous = previous.slice(0, DIGITS.indexOf(line.charAt(0))) + line.slice(1);
        return previous;
      });
      return parsedTails[key];
    });
  }

  // The terms that end as `term` does, or nearly: the tail shard its end
  // falls in (and the next, when it falls after that shard's last term), so
  // a slip in its first letters finds the word meant. None from an index
  // without tail shards.
  function endingLike(lang, m, term) {
    if (!m.tails || !m.tails.length) { return Promise.resolve([]); }
    var end = backwards(term);
    var n = keyed(m.tails, end);
    return tail(lang, m, n).then(function (ends) {
      if (end <= ends[ends.length - 1] || n + 1 >= m.tails.length) { return ends; }
      return tail(lang, m, n + 1).then(function (next) { return ends.concat(next); });
    }).then(function (ends) {
      return ends.map(backwards);
    }, function () { return []; });
  }

  // The two kinds of inner shards: terms keyed by all but their first two
  // letters (`i-HASH.js`), and by all but their last two, backwards
  // (`f-HASH.js`); each line leaves those two letters out of its key.
  var INNER = {
    start: {
      file: "/i-",
      texts: registered.inner,
      term: function (left, key) { return left + key; },
      key: function (letters, dropped) { return letters.slice(dropped).join(""); }
    },
    end: {
      file: "/f-",
      texts: registered.front,
      term: function (left, key) { return backwards(key) + left; },
      key: function (letters, dropped) { return backwards(letters.slice(0, letters.length - dropped).join("")); }
    }
  };

  // The terms of inner shard `n` of `table`, of the `side` kind, whole, in
  // order of their keys: each line is the two letters its key leaves out,
  // how many letters the key shares with the one before (a digit), then
  // the rest.
  var parsedInner = {};
  function innerShard(lang, side, table, n) {
    var key = lang + "/" + side + "/" + n;
    var kind = INNER[side];
    if (parsedInner[key]) { return Promise.resolve(parsedInner[key]); }
    return load(searchRoot + lang + kind.file + table[n][1] + ".js").then(function () {
      var previous = "";
      parsedInner[key] = kind.texts[lang + "/" + n].split("\n").map(function (line) {
        var left = Array.from(line.slice(0, 4)).slice(0, 2).join("");
        var rest = line.slice(left.length);
        previous = previous.slice(0, DIGITS.indexOf(rest.charAt(0))) + rest.slice(1);
        return { key: previous, term: kind.term(left, previous) };
      });
      return parsedInner[key];
    });
  }

  // The terms whose letters after the first two begin as `term`'s after
  // its first one, two or three do (`side` "start": a letter missing,
  // changed or added at its start), or whose letters before their last
  // two, backwards, begin as `term`'s before its last one, two or three
  // do ("end"): with its other end, a word misspelt at both ends
  // ("hunderbirb", "thnuderbirb") finds the word meant ("thunderbird").
  // Read only when its term shard and tail shard hold no word close
  // enough; none where `inner.js` will not load.
  function innerLike(lang, side, term) {
    var letters = Array.from(term);
    return load(searchRoot + lang + "/inner.js").then(function () {
      var table = (registered.innerTable[lang] || {})[side];
      if (!table || !table.length) { return []; }
      return Promise.all([1, 2, 3].map(function (dropped) {
        var key = INNER[side].key(letters, dropped);
        var n = keyed(table, key);
        return innerShard(lang, side, table, n).then(function (lines) {
          if (key <= lines[lines.length - 1].key || n + 1 >= table.length) { return lines; }
          return innerShard(lang, side, table, n + 1).then(function (next) { return lines.concat(next); });
        });
      }));
    }).then(function (lists) {
      var terms = [];
      lists.forEach(function (lines) { lines.forEach(function (line) { terms.push(line.term); }); });
      return terms;
    }, function () { return []; });
  }

  var parsedShards = {};
  function shard(lang, m, n) {
    var key = lang + "/" + n;
    if (parsedShards[key]) { return Promise.resolve(parsedShards[key]); }
    return load(searchRoot + lang + "/s-" + m.shards[n][1] + ".js").then(function () {
      var terms = [];
      var postings = {};
      // "term TAB postings", and for a common term "TAB pages": its postings
      // are then only its best pages, out of that many; unless a fourth
      // field lists the rest (a CJK term: see decodeRest), so none is cut.
      registered.shard[key].split("\n").forEach(function (line) {
        var fields = line.split("\t");
        terms.push(fields[0]);
        postings[fields[0]] = { text: fields[1], cut: fields.length === 3, rest: fields[3] };
      });
      parsedShards[key] = { terms: terms, postings: postings };
      return parsedShards[key];
    });
  }

  // A variable-length number at `at.i` (digits 32–63 continue, 0–31 end).
  function number(text, at) {
    var n = 0;
    var shift = 0;
    for (;;) {
      var d = DIGITS.indexOf(text.charAt(at.i++));
      n += (d & 31) * Math.pow(2, shift);
      shift += 5;
      if (d < 32) { return n; }
    }
  }

  // "gap impact gap impact…": gaps are numbers, impacts a single digit.
  function decode(text, into) {
    var doc = 0;
    var at = { i: 0 };
    while (at.i < text.length) {
      doc += number(text, at);
      var impact = DIGITS.indexOf(text.charAt(at.i++));
      if (!(into[doc] >= impact)) { into[doc] = impact; }
    }
    return into;
  }

  // The rest of a common CJK term's pages: "impact gap gap…", the gaps
  // leading to the pages that lack it; every other page of the language
  // (`docs` of them) holds it, with that impact.
  function decodeRest(text, docs, into) {
    var impact = DIGITS.indexOf(text.charAt(0));
    var absent = {};
    var doc = 0;
    var at = { i: 1 };
    while (at.i < text.length) {
      doc += number(text, at);
      absent[doc] = true;
    }
    for (var d = 0; d < docs; d++) {
      if (!absent[d] && !(into[d] >= impact)) { into[d] = impact; }
    }
    return into;
  }

  // Postings of one term (or, for a prefix, of every term it begins, at most
  // PREFIX_TERMS of them): {scores, cut}, cut when they are a common term's
  // best pages only. A shard that will not load is reported, not fatal.
  function postingsFor(lang, m, term, prefix, state) {
    // A language whose pages are all fallbacks indexes nothing: no shards.
    if (!m.shards.length) { return Promise.resolve({ scores: {}, cut: false }); }
    var first = shardFor(m, term);
    var last = prefix ? shardFor(m, term + "\uffff") : first;
    var wanted = [];
    for (var n = first; n <= last; n++) { wanted.push(n); }
    return Promise.all(wanted.map(function (n) {
      return shard(lang, m, n).catch(function () { state.missing = true; return null; });
    })).then(function (shards) {
      var list = { scores: {}, cut: false };
      function add(p) {
        decode(p.text, list.scores);
        if (p.rest) { decodeRest(p.rest, m.docs, list.scores); }
        list.cut = list.cut || p.cut;
      }
      var expanded = 0;
      shards.forEach(function (s) {
        if (!s) { return; }
        if (!prefix) {
          if (s.postings.hasOwnProperty(term)) { add(s.postings[term]); }
          return;
        }
        for (var k = 0; k < s.terms.length && expanded < PREFIX_TERMS; k++) {
          var t = s.terms[k];
          if (t.lastIndexOf(term, 0) === 0) { add(s.postings[t]); expanded++; }
        }
      });
      return list;
    });
  }

  // A term's postings; the last word's, while typing, of every term it
  // begins. A query sent (Enter, a link, the header's box) whose last word
  // is on no page also completes it: "thunderb" keeps the pages it showed
  // while being typed rather than finding none.
  function lastWordPostings(lang, m, term, isLast, typing, state) {
    if (isLast && typing) { state.prefix = term; }
    return postingsFor(lang, m, term, isLast && typing, state).then(function (list) {
      if (!isLast || typing || Object.keys(list.scores).length) { return list; }
      state.prefix = term;
      return postingsFor(lang, m, term, true, state);
    });
  }

  // A word's postings and the terms they are of ({list, terms}): a word on
  // no page, whole or begun, is taken as misspelt and found as the terms
  // closest to it ("pasword": "password").
  function wordPostings(lang, m, term, isLast, typing, state) {
    return lastWordPostings(lang, m, term, isLast, typing, state).then(function (list) {
      if (Object.keys(list.scores).length) { return { list: list, terms: [term] }; }
      return closeTerms(lang, m, term).then(function (close) {
        if (!close.length) { return { list: list, terms: [term] }; }
        state.corrected = true;
        return Promise.all(close.map(function (t) { return postingsFor(lang, m, t, false, state); })).then(function (lists) {
          var merged = { scores: {}, cut: false };
          lists.forEach(function (l) {
            Object.keys(l.scores).forEach(function (doc) {
              if (!(merged.scores[doc] >= l.scores[doc])) { merged.scores[doc] = l.scores[doc]; }
            });
            merged.cut = merged.cut || l.cut;
          });
          return { list: merged, terms: close };
        });
      });
    });
  }

  // The terms closest to `term`, a letter apart (two for a word of 8
  // letters or more; letters swapped count as one), at most 5, in order;
  // none for a word shorter than 4 letters, with digits, or in Chinese,
  // Japanese or Korean. Looked for among the terms beginning as it does
  // (its shard, loaded already) and those ending as it does (a tail shard
  // of about 2 KB); when none of those is close enough, for a word of 8
  // letters or more (two slips, which may be one at each end), among those
  // whose letters after their first two begin as its own after its first
  // ones do (`innerLike`: up to three inner shards of about 1 KB), then,
  // when none of those is either (a slip past its second letter), among
  // those whose letters before their last two end as its own before its
  // last ones do (up to three more). The native search reads every term.
  function closeTerms(lang, m, term) {
    if (!m.shards.length || term.length < 4 || /[0-9]/.test(term) || CJK.test(term)) { return Promise.resolve([]); }
    var most = term.length >= 8 ? 2 : 1;
    var starting = shard(lang, m, shardFor(m, term)).then(function (s) { return s.terms; }, function () { return []; });
    return Promise.all([starting, endingLike(lang, m, term)]).then(function (lists) {
      var found = closest(term, lists[0].concat(lists[1]), most);
      if (found.length || most < 2) { return found; }
      return innerLike(lang, "start", term).then(function (inner) {
        var near = closest(term, inner, most);
        if (near.length) { return near; }
        return innerLike(lang, "end", term).then(function (front) { return closest(term, front, most); });
      });
    });
  }

  // The `candidates` closest to `term`, at most `most` edits from it; at
  // most 5, in order.
  function closest(term, candidates, most) {
    var seen = {};
    var best = most + 1;
    var found = [];
    candidates.filter(function (t) {
      if (seen.hasOwnProperty(t)) { return false; }
      seen[t] = true;
      return Math.abs(t.length - term.length) <= most && !CJK.test(t);
    }).sort().forEach(function (t) {
      var d = distance(term, t, most);
      if (d < best) { best = d; found = [t]; } else if (d === best && found.length < 5) { found.push(t); }
    });
    return best <= most ? found : [];
  }

  // Edits from `a` to `b` (a letter added, removed, changed, or two
  // swapped), or `most + 1` once there are more than `most`.
  function distance(a, b, most) {
    var previous = null;
    var row = [];
    var before = [];
    for (var j = 0; j <= b.length; j++) { row[j] = j; }
    for (var i = 1; i <= a.length; i++) {
      before = previous;
      previous = row;
      row = [i];
      var least = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a.charAt(i - 1) === b.charAt(k - 1) ? 0 : 1;
        var d = Math.min(previous[k] + 1, row[k - 1] + 1, previous[k - 1] + cost);
        if (i > 1 && k > 1 && a.charAt(i - 1) === b.charAt(k - 2) && a.charAt(i - 2) === b.charAt(k - 1)) {
          d = Math.min(d, before[k - 2] + 1);
        }
        row[k] = d;
        least = Math.min(least, d);
      }
      if (least > most) { return most + 1; }
    }
    return row[b.length];
  }

  // Sum of each document's impacts over `lists`, and in how many it is.
  function tally(lists) {
    var total = {};
    var count = {};
    lists.forEach(function (list) {
      Object.keys(list.scores).forEach(function (doc) {
        total[doc] = (total[doc] || 0) + list.scores[doc];
        count[doc] = (count[doc] || 0) + 1;
      });
    });
    return { total: total, count: count };
  }

  function best(docs, total) {
    return docs.sort(function (a, b) { return total[b] - total[a] || a - b; }).map(Number);
  }

  // Ranked documents. Complete postings decide which pages match (all the
  // words, else any of them); a common word's best pages only add to their
  // scores. When every word is common, the pages among the best of each word
  // come first, then the best of any.
  function rank(lists, state) {
    var whole = lists.filter(function (l) { return !l.cut; });
    var cut = lists.filter(function (l) { return l.cut; });
    var deciding = whole.length ? whole : cut;
    var t = tally(deciding);
    var docs = Object.keys(t.total);
    var every = docs.filter(function (doc) { return t.count[doc] === deciding.length; });
    var others = docs.filter(function (doc) { return t.count[doc] < deciding.length; });
    if (whole.length) {
      if (!every.length && whole.length > 1) { state.all = false; every = others; }
      others = [];
      cut.forEach(function (list) {
        every.forEach(function (doc) { t.total[doc] += list.scores[doc] || 0; });
      });
    }
    state.cut = cut.length > 0;
    return best(every, t.total).concat(best(others, t.total));
  }

  function records(lang, m, docs) {
    var chunks = {};
    docs.forEach(function (doc) { chunks[Math.floor(doc / m.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (c) {
      var file = "r-" + m.records[Math.floor(c / m.group)] + "-" + c + ".js";
      return load(searchRoot + lang + "/" + file).catch(function () { return null; });
    })).then(function () {
      return docs.map(function (doc) {
        var rows = registered.records[lang + "/" + Math.floor(doc / m.chunk)];
        var row = rows && rows[doc % m.chunk];
        return row ? { url: row[0], title: row[1], summary: row[2] } : null;
      }).filter(Boolean);
    });
  }

  // Runs a query; `typing` expands the last word as a prefix. The answer has
  // the records of the first results (`hits`), every result (`docs`) and how
  // many (`total`); `more` adds the records of the next ones.
  function search(lang, query, typing) {
    var state = { missing: false, all: true, cut: false, corrected: false, marked: [], prefix: null };
    return manifest(lang).then(function (m) {
      return analyzer(lang, m).then(function (analyze) {
        loaded[lang] = analyze;
        var terms = analyze(lang, query);
        var last = /\S$/.test(query) ? terms[terms.length - 1] : null;
        var unique = [];
        terms.forEach(function (t) { if (unique.indexOf(t) < 0) { unique.push(t); } });
        if (!unique.length) { return { state: state, hits: [], docs: [], total: 0 }; }
        return Promise.all(unique.map(function (t) {
          return wordPostings(lang, m, t, t === last, typing, state);
        })).then(function (words) {
          var lists = words.map(function (w) { return w.list; });
          // The words results show marked: a word on most pages ("de" in
          // French) only when the query has no other.
          var all = [];
          words.forEach(function (w) { all = all.concat(w.terms); });
          state.marked = [];
          words.forEach(function (w) { if (!w.list.cut) { state.marked = state.marked.concat(w.terms); } });
          if (!state.marked.length) { state.marked = all; }
          var docs = rank(lists, state);
          return records(lang, m, docs.slice(0, FIRST)).then(function (hits) {
            return { state: state, hits: hits, docs: docs, shown: FIRST, total: docs.length };
          });
        });
      });
    });
  }

  function more(lang, outcome) {
    var from = outcome.shown;
    outcome.shown = Math.min(from + MORE, outcome.docs.length);
    return manifest(lang).then(function (m) {
      return records(lang, m, outcome.docs.slice(from, outcome.shown));
    }).then(function (hits) {
      outcome.hits = outcome.hits.concat(hits);
      return hits;
    });
  }

  function href(url) {
    return siteRoot + url + (fromDisk ? "index.html" : "");
  }

  function message(box, key, values) {
    var text = box.getAttribute("data-msg-" + key) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  // A message from another language than the page's (one without its own
  // strings) is marked with it, so screen readers read it in its voice:
  // the template names its language in `data-msg-KEY-lang` (and `-dir`).
  function note(box, prefix, text) {
    var lang = box.getAttribute(prefix + "lang");
    if (!lang) { return document.createTextNode(text); }
    var span = document.createElement("span");
    span.lang = lang;
    var dir = box.getAttribute(prefix + "dir");
    if (dir) { span.dir = dir; }
    span.textContent = text;
    return span;
  }

  // Screen readers read the live region out at each change, even to the
  // same words: what it already says is left as it is.
  function say(status, nodes) {
    var fresh = document.createElement("p");
    nodes.forEach(function (node, i) {
      if (i) { fresh.appendChild(document.createTextNode(" ")); }
      fresh.appendChild(node);
    });
    if (fresh.innerHTML === status.innerHTML) { return; }
    status.textContent = "";
    while (fresh.firstChild) { status.appendChild(fresh.firstChild); }
  }

  function sayMessage(box, status, key, values) {
    say(status, [note(box, "data-msg-" + key + "-", message(box, key, values))]);
  }

  // By the plural rules of the language the message is written in.
  function countMessage(box, lang, n) {
    var category = "other";
    var rules = box.getAttribute("data-plural-lang") || lang;
    try { category = new Intl.PluralRules(rules).select(n); } catch (e) { category = "other"; }
    var text = box.getAttribute("data-count-" + category) || box.getAttribute("data-count-other") || "{n}";
    return text.split("{n}").join(String(n));
  }

  // Runs of word characters: what is not a space or punctuation (ASCII,
  // Latin-1, general and CJK punctuation), so "l'email" gives "l", "email".
  var WORDS = /[^\s!-\/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\uff01-\uff0f]+/g;
  var CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

  // Without accents, as the index also holds every word ("contrasena"
  // finds "contraseña").
  function folded(term) {
    return term.normalize ? term.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : term;
  }

  // Whether `word` is one the query found: the analyzer reads it as one of
  // the query's terms or, for a word being completed, as a term it begins.
  function found(analyze, lang, state, word, seen) {
    if (!(word in seen)) {
      var terms = state.marked.map(folded);
      var prefix = state.marked.indexOf(state.prefix) >= 0 ? folded(state.prefix) : null;
      seen[word] = analyze(lang, word).some(function (term) {
        var plain = folded(term);
        return terms.indexOf(plain) >= 0 || (prefix !== null && plain.lastIndexOf(prefix, 0) === 0);
      });
    }
    return seen[word];
  }

  // `text` into `into`, the words the query found in <mark>: a whole word,
  // or in Chinese, Japanese and Korean, where words run together, each
  // stretch written as one of the query's terms. Text only, never markup.
  function putMarked(into, text, lang, state, seen) {
    var analyze = loaded[lang];
    if (!analyze || !state || !state.marked || !state.marked.length) {
      into.appendChild(document.createTextNode(text));
      return;
    }
    var spans = [];
    var match;
    WORDS.lastIndex = 0;
    while ((match = WORDS.exec(text)) !== null) {
      if (CJK.test(match[0])) {
        state.marked.forEach(function (term) {
          if (!CJK.test(term)) { return; }
          for (var at = match[0].indexOf(term); at >= 0; at = match[0].indexOf(term, at + term.length)) {
            spans.push([match.index + at, match.index + at + term.length]);
          }
        });
      } else if (found(analyze, lang, state, match[0], seen)) {
        spans.push([match.index, match.index + match[0].length]);
      }
    }
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var done = 0;
    spans.forEach(function (span) {
      if (span[0] < done) { return; }
      if (span[0] > done) { into.appendChild(document.createTextNode(text.slice(done, span[0]))); }
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      into.appendChild(mark);
      done = span[1];
    });
    if (done < text.length) { into.appendChild(document.createTextNode(text.slice(done))); }
  }

  // Adds `hits` to the list, the words the query found marked; returns the
  // first new link.
  function appendHits(list, hits, lang, state) {
    var first = null;
    var seen = {};
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = href(hit.url);
      putMarked(link, hit.title, lang, state, seen);
      // A title may run the other way from the page ("C++" on an Arabic
      // page): isolated, its punctuation stays where it was written.
      link.dir = "auto";
      item.appendChild(link);
      if (hit.summary) {
        var summary = document.createElement("p");
        putMarked(summary, hit.summary, lang, state, seen);
        item.appendChild(summary);
      }
      list.appendChild(item);
      first = first || link;
    });
    return first;
  }

  function showMoreButton(box, outcome) {
    var button = box.querySelector(".search-more");
    if (button) { button.hidden = !(outcome.docs && outcome.shown < outcome.docs.length); }
  }

  function render(box, lang, query, outcome) {
    var list = box.querySelector(".search-results");
    var status = box.querySelector(".search-status");
    var notes = [];
    list.textContent = "";
    appendHits(list, outcome.hits, lang, outcome.state);
    showMoreButton(box, outcome);
    if (!query.trim()) {
      say(status, []);
      return;
    }
    if (outcome.hits.length) {
      notes.push(note(box, "data-count-", countMessage(box, lang, outcome.total)));
    } else {
      notes.push(note(box, "data-msg-none-", message(box, "none", { q: query })));
    }
    if (!outcome.state.all && outcome.hits.length) { notes.push(note(box, "data-msg-any-", message(box, "any"))); }
    if (outcome.state.corrected && outcome.hits.length) {
      notes.push(note(box, "data-msg-closest-", message(box, "closest")));
    }
    if (outcome.state.missing) { notes.push(note(box, "data-msg-missing-", message(box, "missing"))); }
    say(status, notes);
  }

  // Arrow keys move between the search field and the results.
  function keyboard(box, input) {
    box.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
      var links = Array.prototype.slice.call(box.querySelectorAll(".search-results a"));
      if (!links.length) { return; }
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      event.preventDefault();
      if (next < 0) { input.focus(); } else { links[Math.min(next, links.length - 1)].focus(); }
    });
  }

  function searchPage(box) {
    var lang = box.getAttribute("data-lang");
    var input = box.querySelector("input[type=search]");
    var status = box.querySelector(".search-status");
    var latest = 0;
    var timer = null;
    var waiting = null;
    var shown = null;
    // "Loading…" only for an answer that keeps the reader waiting (the
    // first, on a slow link), not at each pause in typing: until then the
    // last answer's status stays.
    function go(typing) {
      var query = input.value;
      var ticket = ++latest;
      shown = null;
      clearTimeout(waiting);
      if (!query.trim()) { render(box, lang, query, { hits: [], state: {} }); return; }
      waiting = setTimeout(function () { sayMessage(box, status, "loading"); }, LOADING_AFTER);
      search(lang, query, typing).then(function (outcome) {
        if (ticket === latest) { clearTimeout(waiting); shown = outcome; render(box, lang, query, outcome); }
      }, function () {
        if (ticket === latest) { clearTimeout(waiting); sayMessage(box, status, "error"); }
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go(true); }, 120);
    });
    box.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      go(false);
      if (history.replaceState) {
        history.replaceState(null, "", location.pathname + "?q=" + encodeURIComponent(input.value));
      }
    });
    var moreButton = box.querySelector(".search-more");
    if (moreButton) {
      moreButton.addEventListener("click", function () {
        var outcome = shown;
        if (!outcome) { return; }
        more(lang, outcome).then(function (hits) {
          if (outcome !== shown) { return; }
          var first = appendHits(box.querySelector(".search-results"), hits, lang, outcome.state);
          showMoreButton(box, outcome);
          if (first) { first.focus(); }
        }, function () { sayMessage(box, status, "error"); });
      });
    }
    keyboard(box, input);
    // As forms encode it; a stray "%" (a link typed by hand: ?q=100%) is
    // kept as written rather than stopping the script.
    var linked = new URLSearchParams(location.search).get("q");
    if (linked !== null) {
      input.value = linked;
      go(false);
    }
  }

  // Every search form: warm up on first focus; from disk, submit to the
  // search page's index.html (folders do not open over file://).
  function enhanceForm(form) {
    var lang = form.getAttribute("data-lang");
    form.addEventListener("focusin", function () {
      manifest(lang).then(function (m) { return analyzer(lang, m); }).catch(function () {});
    }, { once: true });
    if (fromDisk) {
      var action = form.getAttribute("action");
      if (/\/$/.test(action)) { form.setAttribute("action", action + "index.html"); }
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.search-form[data-lang]"), enhanceForm);
  var page = document.querySelector(".search-page[data-lang]");
  if (page) {
    page.classList.add("search-ready");
    searchPage(page);
  }
  window.__IR.search = search;
  window.__IR.more = more;
})();
