// Browser side of benches/search/run: serves a built site on 127.0.0.1 and
// drives the system's Chromium (playwright-core, no browser download) to ask
// infrared's search and Pagefind the same queries. Prints one JSON object.
//
//   node browser.mjs bytes  '{"site", "tool", "lang", "queries":[q1, q2]}'
//       → per query: every file the server sent for it (path, bytes, gzip bytes), hits
//   node browser.mjs recall '{"site", "tool", "rows":[[lang, query], ...]}'
//       → top 5 URLs of each query, relative to the site root ("en/fiber/")
//
// tool: "infrared" (window.__IR.search) or "pagefind" / "pagefind:<bundle dir>"
// (Pagefind's JS API: import('/<bundle>/pagefind.js'), search(q), then data() of the top 5).
// Bytes are counted on the server, so requests from workers count too; the server
// sends Cache-Control so that a file loaded by the first query is not fetched again
// by the second one (as a real deployment would). Sizes are the files' sizes on
// disk (the server does not compress); gzip sizes are what a compressing server
// would send (level 6).
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".xml": "application/xml", ".json": "application/json", ".png": "image/png", ".wasm": "application/wasm" };
const TIMEOUT_MS = 60000;

function serve(root, log) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
      let file = path.join(root, pathname);
      if (!file.startsWith(root)) { res.writeHead(400); res.end(); return; }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, "index.html"); }
      if (!fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
      const body = fs.readFileSync(file);
      log.push({ path: pathname, bytes: body.length, gzip: zlib.gzipSync(body, { level: 6 }).length });
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "max-age=3600" });
      res.end(body);
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

async function open(args) {
  const root = path.resolve(args.site);
  const log = [];
  const server = await serve(root, log);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: TIMEOUT_MS,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const problems = [];
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("console", (m) => { if (m.type() === "error") { problems.push("console: " + m.text()); } });
  // Loopback only: anything else is refused and reported.
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) { return route.continue(); }
    problems.push("blocked: " + url);
    return route.abort();
  });
  const close = async () => { await browser.close(); server.close(); };
  return { page, problems, close, base, log };
}

function tool(args) {
  const [name, bundle] = args.tool.split(":");
  return { name, bundle: bundle || "pagefind" };
}

// Runs one query in the page; returns {urls (top 5), total}.
async function query(page, t, lang, q) {
  if (t.name === "infrared") {
    return page.evaluate(([l, q]) => window.__IR.search(l, q, false).then((o) => ({
      urls: o.hits.slice(0, 5).map((h) => h.url),
      total: o.total || 0,
      cut: !!(o.state && o.state.cut),
    })), [lang, q]);
  }
  return page.evaluate(async ([bundle, q]) => {
    if (!window.__pf) {
      window.__pf = await import("/" + bundle + "/pagefind.js");
      await window.__pf.init();
    }
    const search = await window.__pf.search(q);
    const data = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
    return { urls: data.map((d) => d.url.replace(/^\//, "").replace(/index\.html$/, "")), total: search.results.length };
  }, [t.bundle, q]);
}

async function settle(page) {
  await page.waitForLoadState("networkidle");
}

const commands = {
  async bytes(args) {
    const t = tool(args);
    const { page, problems, close, base, log } = await open(args);
    await page.goto(base + args.lang + "/search/");
    await settle(page);
    // What the page itself loaded for search before any query (infrared's loader script).
    const pageLoad = log.filter((f) => /\/assets\/search\.[0-9a-f]+\.js$/.test(f.path));
    const steps = [];
    for (const q of args.queries) {
      log.length = 0;
      const answer = await query(page, t, args.lang, q);
      await settle(page);
      const files = log.slice();
      steps.push({
        query: q,
        hits: answer.total,
        cut: answer.cut || false,
        top: answer.urls,
        requests: files.length,
        bytes: files.reduce((n, f) => n + f.bytes, 0),
        gzip: files.reduce((n, f) => n + f.gzip, 0),
        files,
      });
    }
    await close();
    return { tool: args.tool, lang: args.lang, loader: pageLoad, steps, problems };
  },

  async recall(args) {
    const t = tool(args);
    const { page, problems, close, base } = await open(args);
    const results = [];
    const byLang = {};
    args.rows.forEach(([lang, q], i) => { (byLang[lang] = byLang[lang] || []).push([i, q]); });
    for (const lang of Object.keys(byLang)) {
      // A page of the language, so Pagefind picks that language's index from <html lang>.
      await page.goto(base + lang + "/search/");
      await settle(page);
      await page.evaluate(() => { window.__pf = null; });
      for (const [i, q] of byLang[lang]) {
        results[i] = (await query(page, t, lang, q)).urls;
      }
    }
    await close();
    return { tool: args.tool, results, problems };
  },
};

const [command, json] = process.argv.slice(2);
const watchdog = setTimeout(() => { process.stderr.write("browser.mjs: gave up after 10 minutes\n"); process.exit(2); }, 600000);
commands[command](JSON.parse(json)).then(
  (result) => { clearTimeout(watchdog); process.stdout.write(JSON.stringify(result)); },
  (error) => { process.stderr.write(String(error.stack || error) + "\n"); process.exit(1); },
);
