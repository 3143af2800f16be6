// Drives the system's Chromium through offline reading, for infrared's Rust
// tests (tests/offline.rs, tests/packs.rs): `node offline.mjs <command>
// <json args>` prints one JSON object. Commands:
//   disk   {start, query}  → opens a copy on disk (file://) at `start`, follows
//                            its redirect, searches with the page's search form,
//                            then opens the first result
//   worker {first, second, lang, visit, unvisited, other, changed, old, new}
//                          → serves the build `first` on 127.0.0.1, lets the
//                            service worker cache a visited page, stops the
//                            server and reads it again; keeps the language and
//                            reads a page never visited; then serves the build
//                            `second` on the same address and checks that the
//                            worker dropped the stale copy of `changed`, kept
//                            what did not change (`unchanged`: fetched again
//                            from neither build's server) and saved the whole
//                            kept language again
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { runCommand } from "./cli.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".xml": "application/xml", ".json": "application/json", ".webmanifest": "application/manifest+json", ".zip": "application/zip" };

async function launch() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("console", (m) => { if (m.type() === "error" && !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) { problems.push("console: " + m.text()); } });
  return { browser, context, page, problems };
}

// A static server whose root can change and that can be stopped and started
// again on the same port, like a mirror going down and coming back.
function server(initialRoot) {
  let root = path.resolve(initialRoot);
  let current = null;
  let port = 0;
  const sockets = new Set();
  const requested = [];
  function handle(req, res) {
    const asked = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requested.push(asked.slice(1));
    let file = path.join(root, asked);
    if (!file.startsWith(root)) { res.writeHead(400); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, "index.html"); }
    if (!fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "no-cache" });
    fs.createReadStream(file).pipe(res);
  }
  return {
    start() {
      return new Promise((resolve) => {
        current = http.createServer(handle);
        current.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
        current.listen(port, "127.0.0.1", () => { port = current.address().port; resolve(`http://127.0.0.1:${port}/`); });
      });
    },
    stop() {
      return new Promise((resolve) => {
        for (const s of sockets) { s.destroy(); }
        current.close(() => resolve());
      });
    },
    serve(newRoot) { root = path.resolve(newRoot); },
    // Paths asked for since the last call, decoded, relative to the root.
    takeRequested() { return requested.splice(0); },
  };
}

async function opens(page, url) {
  try {
    const response = await page.goto(url, { waitUntil: "load", timeout: 10000 });
    return Boolean(response && response.ok());
  } catch (e) {
    return false;
  }
}

// Polls `fn` in the page (it may return a promise) until it is true.
async function waitFor(page, fn, arg, timeout = 20000) {
  const until = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(fn, arg).catch(() => false)) { return; }
    if (Date.now() > until) { throw new Error("timed out waiting for " + fn); }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const commands = {
  async disk(args) {
    const { browser, context, page, problems } = await launch();
    const out = { requests_outside: [] };
    context.on("request", (r) => { if (!/^(file:|data:|blob:)/.test(r.url())) { out.requests_outside.push(r.url()); } });
    await page.goto("file://" + path.resolve(args.start));
    await page.waitForSelector("form.search-form input[type=search]", { timeout: 10000 });
    out.opened = page.url();
    out.title = await page.title();
    const input = page.locator("form.search-form input[type=search]").first();
    await input.fill(args.query);
    await input.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll(".search-results li").length > 0, null, { timeout: 10000 });
    out.search_page = page.url();
    out.titles = await page.$$eval(".search-results a", (links) => links.map((a) => a.textContent));
    out.hrefs = await page.$$eval(".search-results a", (links) => links.map((a) => a.href));
    await page.click(".search-results a");
    await page.waitForLoadState();
    out.followed = page.url();
    out.followed_title = await page.title();
    await browser.close();
    out.problems = problems;
    return out;
  },

  async worker(args) {
    const { browser, context, page, problems } = await launch();
    const outside = [];
    context.on("request", (r) => { if (!/^(http:\/\/127\.0\.0\.1|data:|blob:)/.test(r.url())) { outside.push(r.url()); } });
    const site = server(args.first);
    const base = await site.start();
    const out = {};
    const url = (p) => base + p;
    // Online: the worker installs and takes control; the page is visited.
    await page.goto(url(args.lang + "/"));
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await waitFor(page, () => Boolean(navigator.serviceWorker.controller));
    out.controlled = true;
    out.online_visit = await opens(page, url(args.visit));
    out.marked_online = await page.evaluate(() => document.documentElement.hasAttribute("data-offline-copy"));
    // The server goes down: the visited page still opens, marked as a copy.
    await site.stop();
    out.offline_visit = await opens(page, url(args.visit));
    out.offline_text = out.offline_visit ? await page.textContent("main") : "";
    out.marked_offline = await page.evaluate(() => document.documentElement.hasAttribute("data-offline-copy"));
    out.hint_visible = await page.evaluate(() => { const e = document.querySelector(".offline-copy"); return Boolean(e) && getComputedStyle(e).display !== "none"; });
    out.unvisited_before_keep = await opens(page, url(args.unvisited));
    // Back online: "keep this language" saves every page of it.
    await site.start();
    await opens(page, url(args.lang + "/"));
    await page.waitForSelector(".offline-keep:not([hidden]) button", { timeout: 10000 });
    out.keep_label = await page.textContent(".offline-keep button");
    // From the keyboard: the button keeps the focus while it works and after.
    await page.focus(".offline-keep button");
    await page.keyboard.press("Enter");
    await waitFor(page, () => document.querySelector(".offline-keep").hasAttribute("data-kept"), null, 60000);
    out.keep_status = await page.textContent(".offline-keep-status");
    out.keep_focus = await page.evaluate(() => document.activeElement === document.querySelector(".offline-keep button"));
    await site.stop();
    out.unvisited_after_keep = await opens(page, url(args.unvisited));
    out.other_language = await opens(page, url(args.other));
    // A new build on the same address: the new worker drops the stale copy
    // and saves the kept language again.
    site.serve(args.second);
    site.takeRequested();
    await site.start();
    const version = fs.readFileSync(path.join(args.second, "sw.js"), "utf8").match(/VERSION = "([0-9a-f]+)"/)[1];
    await opens(page, url(args.lang + "/"));
    await waitFor(page, (v) => caches.keys().then((names) => names.length === 1 && names[0].endsWith(" " + v)), version, 30000).catch(() => {});
    out.caches = await page.evaluate(() => caches.keys());
    out.version = version;
    const listed = Object.keys(JSON.parse(fs.readFileSync(path.join(args.second, args.lang, "offline-files.json"), "utf8")).files);
    const everyUrl = listed.map((p) => new URL(p, base).href);
    await waitFor(page, (urls) => Promise.all(urls.map((u) => caches.match(u))).then((hits) => hits.every(Boolean)), everyUrl, 60000).catch(() => {});
    out.resaved = await page.evaluate((urls) => Promise.all(urls.map((u) => caches.match(u))).then((hits) => hits.filter(Boolean).length), everyUrl);
    out.listed = listed.length;
    const asked = site.takeRequested();
    out.unchanged_fetched_again = args.unchanged.filter((p) => asked.indexOf(p) >= 0);
    await waitFor(page, ([p, marker]) => caches.match(p).then((r) => r ? r.text() : "").then((t) => t.indexOf(marker) >= 0), [url(args.changed), args.new], 30000).catch(() => {});
    await site.stop();
    out.changed_offline = await opens(page, url(args.changed));
    const text = out.changed_offline ? await page.content() : "";
    out.changed_has_new = text.indexOf(args.new) >= 0;
    out.changed_has_old = text.indexOf(args.old) >= 0;
    out.still_kept = await opens(page, url(args.unvisited));
    out.requests_outside = outside;
    await browser.close();
    out.problems = problems;
    return out;
  },
};

runCommand(commands);
