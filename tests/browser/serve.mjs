// `infrared serve` in a real browser (tests/serve.rs runs it against a
// running server): many tabs of one browser at once, each still loading
// and reloading when its page changes, also after the tab that listened
// for all of them is closed.
//
//   node serve.mjs tabs '{"base": "http://127.0.0.1:PORT/", "pages": [...],
//     "file": "/…/content/hello.md", "edits": [[text, marker], …]}'
// opens every page in a tab of its own, then writes each edit's text to
// `file` in turn (closing the first tab before the second edit) and
// waits until the last tab shows its marker. With `"hosts": ["preview.test"]`
// that name leads to 127.0.0.1, for a base URL that is not a secure context.
//
//   node serve.mjs appears '{"url": "http://…/en/guides/new", "file": "/…/new.md",
//     "text": "…", "marker": "…"}'
// opens a tab at a page not made yet, then writes the file that makes it:
// whether the tab showed the marker (it reloaded by itself).
//
//   node serve.mjs hidden '{"base": "http://preview.test:PORT/", "hosts": ["preview.test"],
//     "pages": [...], "file": "/…/content/hello.md", "text": "…", "marker": "…",
//     "hold": 8000, "hide": true}'
// opens every page in a tab of its own (the first one alone at first, so
// that it takes the shared stream), then hides the first tab for `hold`
// ms and writes `text` to `file` halfway through (waiting until the last
// tab shows `marker`); then shows it again.
// Headless Chromium shows every tab, and holds back no timer: a hidden
// tab is played in the page (see HIDE below). Counts the event streams
// the tabs hold from the browser's own requests: the most held at once
// while the tab was hidden, the longest time none was (ms), and how many
// each tab holds once the first was shown again.
//
//   node serve.mjs seek '{"page": "http://…/en/", "media": "/media/clip.wav", "to": 15}'
// plays the audio file in the page and seeks in it: what the browser
// found it could seek in (`seekable`) and where it landed.

import { chromium } from "playwright-core";
import fs from "node:fs";
import { runCommand } from "./cli.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const WAIT = 30000;

async function tabs(args) {
  // `hosts` maps names to 127.0.0.1: a page at http://preview.test:PORT/ is
  // not a secure context (no Web Locks), as the preview seen from another machine.
  const hosts = (args.hosts || []).map((name) => `MAP ${name} 127.0.0.1`).join(",");
  const launchArgs = ["--no-sandbox", "--disable-gpu"].concat(hosts ? [`--host-resolver-rules=${hosts}`] : []);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs });
  try {
    const context = await browser.newContext();
    const loaded = [];
    const pages = [];
    for (const path of args.pages) {
      const page = await context.newPage();
      pages.push(page);
      try {
        await page.goto(args.base + path, { timeout: WAIT });
        loaded.push(true);
      } catch (e) {
        loaded.push(false);
      }
    }
    const last = pages[pages.length - 1];
    const secure = await pages[0].evaluate(() => window.isSecureContext && Boolean(navigator.locks));
    const reloaded = [];
    for (const [i, [text, marker]] of args.edits.entries()) {
      if (i > 0) await pages.shift().close();
      fs.writeFileSync(args.file, text);
      try {
        await last.waitForFunction((m) => document.body && document.body.innerText.includes(m), marker, { timeout: WAIT });
        reloaded.push(true);
      } catch (e) {
        reloaded.push(false);
      }
    }
    return { loaded, reloaded, secure };
  } finally {
    await browser.close();
  }
}

async function seek(args) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"] });
  try {
    const page = await browser.newPage();
    await page.goto(args.page, { timeout: WAIT });
    return await page.evaluate(async ({ media, to, wait }) => {
      const audio = document.createElement("audio");
      audio.preload = "auto";
      audio.muted = true;
      document.body.appendChild(audio);
      const loaded = new Promise((resolve, reject) => {
        audio.addEventListener("loadedmetadata", resolve, { once: true });
        audio.addEventListener("error", () => reject(new Error("media error " + (audio.error && audio.error.code))), { once: true });
      });
      audio.src = media;
      await loaded;
      const ranges = (list) => Array.from({ length: list.length }, (_, i) => [list.start(i), list.end(i)]);
      const seekable = ranges(audio.seekable);
      const seeked = new Promise((resolve) => audio.addEventListener("seeked", () => resolve(true), { once: true }));
      audio.currentTime = to;
      const done = await Promise.race([seeked, new Promise((resolve) => setTimeout(() => resolve(false), wait))]);
      return { duration: audio.duration, seekable, seeked: done, at: audio.currentTime };
    }, { media: args.media, to: args.to, wait: 10000 });
  } finally {
    await browser.close();
  }
}

async function appears(args) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    const response = await page.goto(args.url, { timeout: WAIT });
    const status = response.status();
    // The event stream opens as the page's script runs; a stream never
    // ends, so nothing in the page tells when it is open: give it time.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    fs.writeFileSync(args.file, args.text);
    let shown = true;
    try {
      await page.waitForFunction((m) => document.body && document.body.innerText.includes(m), args.marker, { timeout: 10000 });
    } catch (e) {
      shown = false;
    }
    return { status, shown, at: new URL(page.url()).pathname };
  } finally {
    await browser.close();
  }
}

// Plays a hidden tab, as Chrome makes one after five minutes: the
// document says it is hidden, and timers are held back (Chrome runs them
// once a minute; here, when the tab is shown again), while the stream's
// events and the storage and BroadcastChannel messages still come. With
// `hide` false, only the timers are held back, as in a tab whose timers
// came later than its claim to listen allowed (the machine slept).
const HIDE = () => {
  let hidden = false;
  let holding = false;
  const held = [];
  const timers = { setTimeout: window.setTimeout.bind(window), setInterval: window.setInterval.bind(window) };
  for (const name of Object.keys(timers)) {
    window[name] = (callback, ms, ...rest) =>
      timers[name](() => (holding ? held.push(() => callback(...rest)) : callback(...rest)), ms);
  }
  Object.defineProperty(Document.prototype, "visibilityState", { get: () => (hidden ? "hidden" : "visible") });
  Object.defineProperty(Document.prototype, "hidden", { get: () => hidden });
  window.__infraredHold = (hold, hide) => {
    holding = hold;
    if (hide !== hidden) {
      hidden = hide;
      document.dispatchEvent(new Event("visibilitychange"));
    }
    if (!hold) held.splice(0).forEach((run) => run());
  };
};

async function hidden(args) {
  const hosts = args.hosts.map((name) => `MAP ${name} 127.0.0.1`).join(",");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", `--host-resolver-rules=${hosts}`],
  });
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    const context = await browser.newContext();
    await context.addInitScript(HIDE);
    // The event streams each tab holds, as the browser requests and ends them.
    const streams = [];
    const pages = [];
    for (const [i, path] of args.pages.entries()) {
      const page = await context.newPage();
      streams.push(0);
      const isStream = (request) => request.url().includes("/__infrared/events");
      page.on("request", (r) => { if (isStream(r)) streams[i] += 1; });
      page.on("requestfailed", (r) => { if (isStream(r)) streams[i] -= 1; });
      page.on("requestfinished", (r) => { if (isStream(r)) streams[i] -= 1; });
      await page.goto(args.base + path, { timeout: WAIT });
      pages.push(page);
      if (i === 0) await sleep(1000);
    }
    await sleep(1500);
    const held = () => streams.reduce((a, b) => a + b, 0);
    const before = streams.slice();
    await pages[0].evaluate((hide) => window.__infraredHold(true, hide), args.hide);
    // The most streams held at once, and the longest time none was.
    let most = held();
    let none = 0;
    let noneSince = null;
    const sampler = setInterval(() => {
      most = Math.max(most, held());
      if (held() > 0) noneSince = null;
      else if (noneSince === null) noneSince = Date.now();
      else none = Math.max(none, Date.now() - noneSince);
    }, 20);
    await sleep(args.hold / 2);
    fs.writeFileSync(args.file, args.text);
    const last = pages[pages.length - 1];
    let reloaded = true;
    try {
      await last.waitForFunction((m) => document.body && document.body.innerText.includes(m), args.marker, { timeout: WAIT });
    } catch (e) {
      reloaded = false;
    }
    await sleep(args.hold / 2);
    clearInterval(sampler);
    await pages[0].evaluate(() => window.__infraredHold(false, false));
    await sleep(2000);
    const secure = await pages[0].evaluate(() => window.isSecureContext && Boolean(navigator.locks));
    return { before, most, none, reloaded, after: streams.slice(), secure };
  } finally {
    await browser.close();
  }
}

runCommand({ tabs, seek, appears, hidden });
