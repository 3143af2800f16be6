// infrared service worker: keeps the pages a reader visits (and, on
// request, a whole language) readable when the connection drops. Plain
// JavaScript, no framework; the build prepends VERSION (a hash of every
// language's file list) and LANGUAGES. It works under any path: everything
// is relative to the registration's scope, the folder holding this file.
//
// Pages are fetched from the network first, so readers see the latest copy
// when they can; fingerprinted files (assets, search shards) come from the
// cache first, since their names change with their contents. A page served
// from the cache is marked (data-offline-copy on <html>) so the theme can
// say so. A new build brings a new VERSION: the new worker keeps only the
// entries whose contents still match the new lists (SHA-256), re-saves the
// languages the reader kept, and deletes the old cache.
"use strict";

const SCOPE = self.registration.scope;
const PREFIX = "infrared " + SCOPE + " ";
const CACHE = PREFIX + VERSION;
const KEPT = SCOPE + "__infrared-kept.json";
const IMMUTABLE = /(\/assets\/[^/]+\.[0-9a-f]{10}\.[a-z0-9]+|\/search\/[^/]+\/[sr]-[0-9a-f]{10}\.js|\/search\/analyzer-[^/]+\.[0-9a-f]{10}\.js)$/;
const NOT_KEPT = /\.(zip|epub|pdf)$/;
const AT_ONCE = 6;

self.addEventListener("install", () => { self.skipWaiting(); });

self.addEventListener("activate", (event) => {
  event.waitUntil(migrate().then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) { return; }
  if (request.headers.has("range") || NOT_KEPT.test(new URL(request.url).pathname)) { return; }
  event.respondWith(respond(request));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const client = event.source;
  if (data.type === "keep" && LANGUAGES.indexOf(data.lang) >= 0) {
    event.waitUntil(keepLanguage(data.lang, client));
  } else if (data.type === "status") {
    event.waitUntil(keptLanguages().then((kept) => {
      post(client, { type: "status", lang: data.lang, kept: kept.indexOf(data.lang) >= 0, version: VERSION });
    }));
  }
});

// The cache key of a URL: no query or fragment, folders for index.html.
function key(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  if (u.pathname.endsWith("/index.html")) { u.pathname = u.pathname.slice(0, -"index.html".length); }
  return u.href;
}

async function respond(request) {
  const cache = await caches.open(CACHE);
  const k = key(request.url);
  if (IMMUTABLE.test(k)) {
    const hit = await cache.match(k);
    if (hit) { return hit; }
  }
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const hit = await cache.match(k);
    if (hit) { return markOffline(hit); }
    if (request.mode === "navigate") {
      const lang = k.slice(SCOPE.length).split("/")[0];
      const notFound = LANGUAGES.indexOf(lang) >= 0 && await cache.match(SCOPE + lang + "/404.html");
      if (notFound) { return markOffline(notFound); }
    }
    throw error;
  }
  if (response.ok && response.type === "basic" && !response.redirected) {
    await cache.put(k, response.clone());
  }
  return response;
}

// A copy from the cache, marked so the page can say it is one.
async function markOffline(response) {
  const type = response.headers.get("content-type") || "";
  if (type.indexOf("text/html") < 0) { return response; }
  const html = (await response.text()).replace("<html", "<html data-offline-copy");
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(html, { status: response.status, statusText: response.statusText, headers: headers });
}

function post(client, message) {
  if (client && client.postMessage) { client.postMessage(message); }
}

async function fileList(lang) {
  const response = await fetch(SCOPE + lang + "/offline-files.json", { cache: "no-store" });
  if (!response.ok) { throw new Error(lang + "/offline-files.json: " + response.status); }
  return (await response.json()).files;
}

// A language's file list keyed by URL as the browser spells it: a cached
// request's URL has its path percent-encoded (`r%C3%A0dio/`), whatever the
// list's spelling of the same path (`ràdio/`).
async function hashesByUrl(lang) {
  const files = await fileList(lang);
  const byUrl = new Map();
  for (const path of Object.keys(files)) { byUrl.set(new URL(path, SCOPE).href, files[path]); }
  return byUrl;
}

async function keptLanguages() {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(KEPT);
  return hit ? hit.json() : [];
}

async function setKept(langs) {
  const cache = await caches.open(CACHE);
  await cache.put(KEPT, new Response(JSON.stringify(langs), { headers: { "content-type": "application/json" } }));
}

// Runs `work` over `items`, a few at a time.
async function pool(items, work) {
  let next = 0;
  async function worker() {
    while (next < items.length) { const item = items[next++]; await work(item); }
  }
  const workers = [];
  for (let i = 0; i < AT_ONCE; i++) { workers.push(worker()); }
  await Promise.all(workers);
}

// Saves every file of a language's list that the cache lacks.
async function keepLanguage(lang, client) {
  try {
    const files = Object.keys(await fileList(lang));
    const cache = await caches.open(CACHE);
    let done = 0;
    post(client, { type: "progress", lang: lang, done: 0, total: files.length });
    await pool(files, async (path) => {
      const url = SCOPE + path;
      if (!(await cache.match(url))) {
        const response = await fetch(url, { cache: "no-cache" });
        if (!response.ok) { throw new Error(path + ": " + response.status); }
        await cache.put(url, response);
      }
      done++;
      if (done % 20 === 0 || done === files.length) {
        post(client, { type: "progress", lang: lang, done: done, total: files.length });
      }
    });
    const kept = await keptLanguages();
    if (kept.indexOf(lang) < 0) { kept.push(lang); }
    await setKept(kept);
    post(client, { type: "kept", lang: lang });
  } catch (error) {
    post(client, { type: "keep-failed", lang: lang, message: String(error) });
  }
}

async function digest(response) {
  const hash = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return Array.prototype.map.call(new Uint8Array(hash).slice(0, 5), (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
}

// Moves what is still valid from older caches into this version's, then
// deletes them and saves the kept languages again.
async function migrate() {
  const old = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  if (!old.length) { return; }
  const fresh = await caches.open(CACHE);
  const lists = {};
  async function expected(url) {
    const first = url.slice(SCOPE.length).split("/")[0];
    for (const lang of LANGUAGES.indexOf(first) >= 0 ? [first] : LANGUAGES) {
      if (!(lang in lists)) { lists[lang] = await hashesByUrl(lang).catch(() => null); }
      if (lists[lang] && lists[lang].has(url)) { return lists[lang].get(url); }
    }
    return null;
  }
  let kept = [];
  for (const name of old) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      if (request.url === KEPT) {
        kept = kept.concat(await response.json());
        continue;
      }
      const want = await expected(request.url);
      if (want && want === await digest(response.clone())) { await fresh.put(request, response); }
    }
    await caches.delete(name);
  }
  kept = kept.filter((lang, i) => LANGUAGES.indexOf(lang) >= 0 && kept.indexOf(lang) === i);
  await setKept(kept);
  for (const lang of kept) { await keepLanguage(lang, null); }
}
