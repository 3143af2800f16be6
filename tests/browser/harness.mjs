// Drives the system's Chromium over a built site, for infrared's Rust tests:
// they build a site, run `node harness.mjs <command> <json args>` and read one
// JSON object from stdout. Commands:
//   queries {site, mode, rows:[[lang, query]...]}  → top URLs of each query via the page's search code
//   outcome {site, mode, lang, query}             → the search code's whole answer (hits, flags)
//   bytes   {site, mode, lang, queries:[q1, q2]}   → bytes of files loaded by a first and a second query
//   ui      {site, mode, lang, query, expect}       → types into the search page, checks results, keys, escaping
//   more    {site, mode, lang, query}               → submits a query, then presses "more results" until it is gone
//   enter   {site, mode, lang, query, from}          → types `query` into the search page's field (or, with
//                                                      `from`, the header's box on that page), reads the
//                                                      results shown, presses Enter and reads them again
//   linked  {site, mode, lang, search}              → opens the search page with `search` (say "?q=100%") as
//                                                      its query string: the field, status, results (titles,
//                                                      marked words), errors
//   announced {site, mode, lang, words:[...], slow}  → types the words into the search page, pausing after
//                                                      each, and lists every text its live region took;
//                                                      `slow` (http) delays the search files that long (ms)
//   pages   {site, mode, paths:[...]}               → console errors (CSP violations included) and axe-core
//                                                      violations (serious, critical) of each page
//   print   {site, mode, path, width}               → with print styles, in a page `width` CSS pixels wide (the
//                                                      printable width of the paper), what is wider than the
//                                                      paper or spills out of its box: cut off on paper
//   reading {site, mode, path, selector}            → each matching element's text and whether its last
//                                                      character is laid out right of its first (read left to right)
//   printed {site, mode, path, selector}            → with print styles, each matching element's text and
//                                                      what its ::after adds ("none" when nothing)
//   reflow  {site, mode, paths:[...], width}         → how far each page scrolls sideways at that viewport
//                                                      width, and the outermost elements that stick out
//   focus   {site, mode, paths:[...]}               → in the light and the dark scheme, Tab through each page:
//                                                      the contrast of every focus outline with what is behind
//                                                      it, and of every text field's border with both sides
// mode "file" opens the site from disk (file://); "http" serves it on 127.0.0.1.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { runCommand } from "./cli.mjs";
import { serveFolder } from "./static.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

async function open(args) {
  const root = path.resolve(args.site);
  let server = null;
  let base;
  if (args.mode === "http") {
    server = await serveFolder(root, { slow: args.slow || 0 });
    base = `http://127.0.0.1:${server.address().port}/`;
  } else {
    base = "file://" + root + "/";
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("console", (m) => { if (m.type() === "error") { problems.push("console: " + m.text()); } });
  page.on("dialog", (d) => { problems.push("dialog: " + d.message()); d.dismiss(); });
  const close = async () => { await browser.close(); if (server) { server.close(); } };
  const searchPage = (lang) => base + lang + "/search/" + (args.mode === "file" ? "index.html" : "");
  return { page, problems, close, searchPage, root, base };
}

async function loadedScripts(page) {
  return page.evaluate(() => Array.prototype.map.call(document.scripts, (s) => s.src).filter(Boolean));
}

function sizeOf(root, url) {
  const p = decodeURIComponent(new URL(url).pathname);
  const file = url.startsWith("file:") ? p : path.join(root, p);
  return fs.statSync(file).size;
}

const AXE = fs.readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

const commands = {
  async pages(args) {
    const { page, problems, close } = await open(args);
    const root = path.resolve(args.site);
    const server = args.mode === "http" ? await serveFolder(root) : null;
    const base = server ? `http://127.0.0.1:${server.address().port}/` : "file://" + root + "/";
    const report = [];
    for (const p of args.paths) {
      problems.length = 0;
      await page.goto(base + p);
      await page.waitForLoadState("load");
      await page.waitForTimeout(200);
      const csp = problems.slice();
      // axe runs through the debugging protocol, which the page's CSP does not
      // govern; in the light and in the dark colour scheme.
      const axe = [];
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.evaluate(AXE);
        const found = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }).then((r) =>
          r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "))));
        found.forEach((f) => axe.push(scheme + " " + f));
      }
      const lang = await page.evaluate(() => document.documentElement.lang + " " + document.documentElement.dir);
      report.push({ path: p, console: csp, axe, lang });
    }
    if (server) { server.close(); }
    await close();
    return { pages: report };
  },

  async print(args) {
    const { page, problems, close } = await open(args);
    const root = path.resolve(args.site);
    const server = args.mode === "http" ? await serveFolder(root) : null;
    const base = server ? `http://127.0.0.1:${server.address().port}/` : "file://" + root + "/";
    await page.setViewportSize({ width: args.width, height: 1000 });
    await page.emulateMedia({ media: "print" });
    await page.goto(base + args.path);
    await page.waitForLoadState("load");
    const found = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const cut = [];
      for (const el of document.querySelectorAll("body *")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0) { continue; }
        const spills = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "inline";
        if (box.right > width + 1 || box.left < -1 || spills) {
          cut.push(el.tagName.toLowerCase() + ": " + el.textContent.trim().slice(0, 60));
        }
      }
      return { width, page_width: document.documentElement.scrollWidth, cut };
    });
    if (server) { server.close(); }
    await close();
    return { ...found, problems };
  },

  async reading(args) {
    const { page, problems, close } = await open(args);
    const root = path.resolve(args.site);
    await page.goto("file://" + root + "/" + args.path);
    await page.waitForLoadState("load");
    const found = await page.evaluate((selector) => [...document.querySelectorAll(selector)].map((el) => {
      const text = el.firstChild;
      const place = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect().left; };
      const n = text.textContent.length;
      return { text: text.textContent, left_to_right: place(n - 1) > place(0) };
    }), args.selector);
    await close();
    return { found, problems };
  },

  async printed(args) {
    const { page, problems, close } = await open(args);
    const root = path.resolve(args.site);
    await page.emulateMedia({ media: "print" });
    await page.goto("file://" + root + "/" + args.path);
    await page.waitForLoadState("load");
    const found = await page.evaluate((selector) => [...document.querySelectorAll(selector)].map((el) => (
      { text: el.textContent, after: getComputedStyle(el, "::after").content }
    )), args.selector);
    await close();
    return { found, problems };
  },

  async reflow(args) {
    const { page, close } = await open(args);
    const root = path.resolve(args.site);
    const server = args.mode === "http" ? await serveFolder(root) : null;
    const base = server ? `http://127.0.0.1:${server.address().port}/` : "file://" + root + "/";
    await page.setViewportSize({ width: args.width, height: 800 });
    const report = [];
    for (const p of args.paths) {
      await page.goto(base + p);
      await page.waitForLoadState("load");
      report.push(await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const out = (el) => { const b = el.getBoundingClientRect(); return b.width > 0 && (b.right > width + 1 || b.left < -1); };
        // A box sticking out of the page, or text sticking out of its box.
        const spills = (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible" && el.clientWidth > 0;
        const culprits = Array.from(document.querySelectorAll("body *"))
          .filter((el) => (out(el) && !out(el.parentElement)) || (spills(el) && !Array.from(el.children).some(spills)))
          .map((el) => el.outerHTML.slice(0, 120));
        return { path: location.pathname, overflow: document.documentElement.scrollWidth - width, culprits };
      }));
    }
    if (server) { server.close(); }
    await close();
    return { pages: report };
  },

  async focus(args) {
    const { page, close } = await open(args);
    const root = path.resolve(args.site);
    const server = args.mode === "http" ? await serveFolder(root) : null;
    const base = server ? `http://127.0.0.1:${server.address().port}/` : "file://" + root + "/";
    const report = [];
    for (const p of args.paths) {
      await page.goto(base + p);
      await page.waitForLoadState("load");
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.evaluate(() => { window.__focused = new Set(); document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
        for (let i = 0; i < 200; i++) {
          await page.keyboard.press("Tab");
          const seen = await page.evaluate(() => {
            const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
            const luminance = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
              .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
            const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m); return Math.round((x + 0.05) / (y + 0.05) * 100) / 100; };
            const behind = (el) => {
              for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] > 0) { return c.slice(0, 3); } }
              return [255, 255, 255];
            };
            const el = document.activeElement;
            if (!el || el === document.body) { return null; }
            window.__focused = window.__focused || new Set();
            if (window.__focused.has(el)) { return null; }
            window.__focused.add(el);
            const style = getComputedStyle(el);
            const name = el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " " + (el.textContent || el.getAttribute("placeholder") || "").trim().slice(0, 30);
            const marks = [{ what: "focus outline of " + name, ratio: style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2 ? 0 : ratio(rgb(style.outlineColor), behind(el.parentElement)) }];
            if (el.matches("input")) {
              const border = rgb(style.borderTopColor);
              marks.push({ what: "border of " + name + " against its field", ratio: ratio(border, behind(el)) });
              marks.push({ what: "border of " + name + " against its surroundings", ratio: ratio(border, behind(el.parentElement)) });
            }
            return marks;
          });
          if (!seen) { break; }
          seen.forEach((m) => report.push({ path: p, scheme, what: m.what, ratio: m.ratio }));
        }
      }
    }
    if (server) { server.close(); }
    await close();
    return { marks: report };
  },

  async queries(args) {
    const { page, problems, close, searchPage } = await open(args);
    const results = [];
    const byLang = {};
    args.rows.forEach(([lang, query], i) => { (byLang[lang] = byLang[lang] || []).push([i, query]); });
    for (const lang of Object.keys(byLang)) {
      await page.goto(searchPage(lang));
      for (const [i, query] of byLang[lang]) {
        const urls = await page.evaluate(([l, q]) => window.__IR.search(l, q, false).then((o) => o.hits.map((h) => h.url)), [lang, query]);
        results[i] = urls;
      }
    }
    await close();
    return { results, problems };
  },

  async outcome(args) {
    const { page, problems, close, searchPage } = await open(args);
    await page.goto(searchPage(args.lang));
    const outcome = await page.evaluate(([l, q]) => window.__IR.search(l, q, false), [args.lang, args.query]);
    await close();
    return { outcome, problems };
  },

  async bytes(args) {
    const { page, problems, close, searchPage, root } = await open(args);
    await page.goto(searchPage(args.lang));
    const before = new Set(await loadedScripts(page));
    const steps = [];
    for (const query of args.queries) {
      await page.evaluate(([l, q]) => window.__IR.search(l, q, false), [args.lang, query]);
      const now = await loadedScripts(page);
      const fresh = now.filter((s) => !before.has(s));
      fresh.forEach((s) => before.add(s));
      steps.push({ query, files: fresh.map((s) => s.slice(s.indexOf("/search/") + 1)), bytes: fresh.reduce((n, s) => n + sizeOf(root, s), 0) });
    }
    await close();
    return { steps, problems };
  },

  async more(args) {
    const { page, problems, close, searchPage } = await open(args);
    await page.goto(searchPage(args.lang) + "?q=" + encodeURIComponent(args.query));
    const count = () => page.$$eval(".search-results li", (items) => items.length);
    await page.waitForFunction(() => document.querySelectorAll(".search-results li").length > 0, null, { timeout: 10000 });
    const out = { counts: [await count()], focused: [] };
    const button = page.locator(".search-more");
    while (await button.isVisible() && out.counts.length < 20) {
      const before = out.counts[out.counts.length - 1];
      await button.click();
      await page.waitForFunction((n) => document.querySelectorAll(".search-results li").length > n, before, { timeout: 10000 });
      out.counts.push(await count());
      out.focused.push(await page.evaluate(() => {
        const items = Array.prototype.slice.call(document.querySelectorAll(".search-results a"));
        return items.indexOf(document.activeElement);
      }));
    }
    out.status = await page.textContent(".search-status");
    await close();
    out.problems = problems;
    return out;
  },

  async enter(args) {
    const { page, problems, close, searchPage, base } = await open(args);
    const settled = () => page.waitForFunction(() => {
      const status = document.querySelector(".search-status").textContent;
      return status && status !== document.querySelector(".search-page").getAttribute("data-msg-loading");
    }, null, { timeout: 10000 });
    const shown = async () => ({
      status: await page.textContent(".search-status"),
      titles: await page.$$eval(".search-results a", (links) => links.map((a) => a.textContent)),
    });
    const out = {};
    if (args.from) {
      await page.goto(base + args.from + (args.mode === "file" ? "index.html" : ""));
      const box = page.locator("#site-search-input");
      await box.click();
      await box.pressSequentially(args.query, { delay: 20 });
      await box.press("Enter");
      await page.waitForURL(/search\//);
      await settled();
    } else {
      await page.goto(searchPage(args.lang));
      const input = page.locator(".search-page input[type=search]");
      await input.click();
      await input.pressSequentially(args.query, { delay: 20 });
      await settled();
      await page.waitForTimeout(300);
      out.typed = await shown();
      await input.press("Enter");
      await page.waitForTimeout(300);
      await settled();
    }
    out.entered = await shown();
    out.url = page.url();
    await close();
    out.problems = problems;
    return out;
  },

  async linked(args) {
    const { page, problems, close, searchPage } = await open(args);
    await page.goto(searchPage(args.lang) + args.search);
    await page.waitForFunction(() => {
      const status = document.querySelector(".search-status").textContent;
      return status && status !== document.querySelector(".search-page").getAttribute("data-msg-loading");
    }, null, { timeout: 10000 }).catch(() => {});
    const out = {
      input: await page.inputValue(".search-page input[type=search]"),
      status: await page.textContent(".search-status"),
      status_html: await page.innerHTML(".search-status"),
      titles: await page.$$eval(".search-results a", (links) => links.map((a) => a.textContent)),
      // Each result's marked words, and elements in the results other than
      // the list's own (markup from a title or summary would show here).
      marks: await page.$$eval(".search-results li", (items) => items.map((li) =>
        Array.prototype.map.call(li.querySelectorAll("mark"), (m) => m.textContent))),
      foreign_elements: await page.$$eval(".search-results *", (all) =>
        all.filter((e) => ["LI", "A", "P", "MARK"].indexOf(e.tagName) < 0).map((e) => e.tagName)),
    };
    await close();
    out.problems = problems;
    return out;
  },

  async announced(args) {
    const { page, problems, close, searchPage } = await open(args);
    await page.goto(searchPage(args.lang));
    await page.evaluate(() => {
      window.__announced = [];
      const status = document.querySelector(".search-status");
      new MutationObserver(() => {
        window.__announced.push(status.textContent);
      }).observe(status, { childList: true, characterData: true, subtree: true });
    });
    const input = page.locator(".search-page input[type=search]");
    await input.click();
    for (const [i, word] of args.words.entries()) {
      await input.pressSequentially((i ? " " : "") + word, { delay: 20 });
      await page.waitForTimeout(400 + (args.slow || 0) * 5);
    }
    const out = {
      announced: await page.evaluate(() => window.__announced),
      loading: await page.getAttribute(".search-page", "data-msg-loading"),
      titles: await page.$$eval(".search-results a", (links) => links.map((a) => a.textContent)),
    };
    await close();
    out.problems = problems;
    return out;
  },

  async ui(args) {
    const { page, problems, close, searchPage } = await open(args);
    const out = {};
    await page.goto(searchPage(args.lang));
    const input = page.locator(".search-page input[type=search]");
    await input.click();
    await input.pressSequentially(args.query, { delay: 20 });
    await page.waitForFunction(() => document.querySelectorAll(".search-results li").length > 0, null, { timeout: 10000 });
    await page.waitForTimeout(300);
    out.titles = await page.$$eval(".search-results a", (links) => links.map((a) => a.textContent));
    out.hrefs = await page.$$eval(".search-results a", (links) => links.map((a) => a.getAttribute("href")));
    out.images_in_results = await page.$$eval(".search-results img", (imgs) => imgs.length);
    out.status = await page.textContent(".search-status");
    out.status_role = await page.getAttribute(".search-status", "role");
    out.no_js_hidden = await page.$eval(".search-no-js", (e) => getComputedStyle(e).display === "none");
    await input.press("ArrowDown");
    out.focus_after_down = await page.evaluate(() => document.activeElement.textContent);
    await page.keyboard.press("ArrowDown");
    out.focus_after_down2 = await page.evaluate(() => document.activeElement.textContent);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    out.focus_back_on_input = await page.evaluate(() => document.activeElement.matches("input[type=search]"));
    // A link to the search page with ?q= runs the query on load.
    await page.goto(searchPage(args.lang) + "?q=" + encodeURIComponent(args.query));
    await page.waitForFunction(() => document.querySelectorAll(".search-results li").length > 0, null, { timeout: 10000 });
    out.linked_titles = await page.$$eval(".search-results a", (links) => links.map((a) => a.textContent));
    // Following the first result lands on a page that exists.
    await page.click(".search-results a");
    await page.waitForLoadState();
    out.followed_title = await page.title();
    await close();
    out.problems = problems;
    return out;
  },
};

runCommand(commands);
