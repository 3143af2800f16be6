// Does a page's own title find it first? For every page of a built site,
// its title is searched for in the browser (window.__IR.search from
// file://, as `?q=` would) and, given the binary, natively (`infrared
// search --json`); prints, per language and in all, how many pages come
// first and in the top 5, counting apart the titles no other page of the
// language shares (for a shared title, "first" is a coin toss).
//
//   node benches/search/titles.mjs SITE_ROOT [INFRARED_BIN]
//
// SITE_ROOT holds site.toml and the output of its last build in public/.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const [root, bin] = process.argv.slice(2);
const out = path.join(path.resolve(root), "public");
const pages = [];
global.__IR = { records: (lang, chunk, rows) => rows.forEach((row, i) => pages.push({ lang, doc: chunk * 4 + i, url: row[0], title: row[1] })) };
for (const lang of fs.readdirSync(path.join(out, "search"))) {
  const dir = path.join(out, "search", lang);
  if (!fs.statSync(dir).isDirectory()) { continue; }
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith("r-"))) { eval(fs.readFileSync(path.join(dir, file), "utf8")); }
}
const named = pages.filter((p) => p.title.trim());
const shared = {};
named.forEach((p) => { const key = p.lang + "\n" + p.title.toLowerCase(); shared[key] = (shared[key] || 0) + 1; });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage();
const ranks = { browser: [], native: [] };
for (const lang of [...new Set(named.map((p) => p.lang))].sort()) {
  await page.goto("file://" + out + "/" + lang + "/search/index.html");
  for (const p of named.filter((q) => q.lang === lang)) {
    const docs = await page.evaluate(([l, q]) => window.__IR.search(l, q, false).then((o) => o.docs), [lang, p.title]);
    ranks.browser.push([p, docs.indexOf(p.doc) + 1]);
    if (bin) {
      const answer = JSON.parse(execFileSync(bin, ["search", p.title, "--lang", lang, "--json", "--limit", "10", "--root", root], { stdio: ["ignore", "pipe", "ignore"] }));
      ranks.native.push([p, answer.hits.findIndex((h) => h.url === p.url) + 1]);
    }
  }
}
await browser.close();

for (const [side, rows] of Object.entries(ranks)) {
  if (!rows.length) { continue; }
  const groups = {};
  rows.forEach(([p, rank]) => {
    for (const key of ["all", p.lang]) {
      const g = (groups[key] = groups[key] || { pages: 0, first: 0, top5: 0, unique: 0, unique_first: 0 });
      const unique = shared[p.lang + "\n" + p.title.toLowerCase()] === 1;
      g.pages++; g.first += rank === 1; g.top5 += rank >= 1 && rank <= 5; g.unique += unique; g.unique_first += unique && rank === 1;
    }
  });
  console.log(side);
  for (const [key, g] of Object.entries(groups)) {
    console.log(`  ${key.padEnd(4)} pages ${g.pages}  first ${g.first}  top5 ${g.top5}  unique titles ${g.unique}, first ${g.unique_first}`);
  }
}
