// Accessibility of a built site in headless Chromium, for tests/accessibility.rs:
// `node a11y.mjs <command> '<json args>'` prints one JSON object. The site is
// served on 127.0.0.1 (`site`: its output folder). Commands:
//   axe      {site, prefix, paths,           → every axe-core violation (rules tagged wcag2a, wcag2aa,
//            widths, schemes}                wcag21a, wcag21aa, wcag22aa, best-practice; any impact) of
//                                               each page at each viewport width in each colour scheme,
//                                               with its <details> open; each node says whether it is in
//                                               the page's own content (.content)
//   keyboard {site, paths, width, height,    → Tab through each page from its top: the skip link, where
//            offline_copy}                     its Enter leaves focus, every element reached (its
//                                               landmark, whether a focus ring shows, whether it is in
//                                               view and not under anything), the elements Tab should
//                                               reach in document order, and the walk back with
//                                               Shift+Tab; with `offline_copy`, pages marked as the
//                                               service worker marks those it served from its cache
//   rtl      {site, pairs}                   → for each [left-to-right, right-to-left] pair of pages:
//                                               the sides (paddings, borders, corners) of the theme's
//                                               boxes in both, each code block's direction and
//                                               alignment, the language switcher's entries' lang and dir
// `prefix` (default "/"): where the site is served, for a base_url's path.
// A path may carry a query string (`en/search/?q=mirror`): the page is read
// once the network is quiet.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { runCommand } from "./cli.mjs";
import { serveFolder } from "./static.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const AXE = fs.readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

async function session(site, width, height = 800, prefix = "/") {
  const server = await serveFolder(path.resolve(site), { prefix });
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width, height }, isMobile: width < 600, hasTouch: width < 600 });
  const page = await context.newPage();
  // The chooser at the root would send a browser on to its language:
  // checked as readers without JavaScript, and search engines, see it.
  await page.route(/\/assets\/language\.[0-9a-f]+\.js$/, (route) => route.abort());
  const problems = [];
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  const visit = async (p, mark) => {
    await page.goto(base + p);
    await page.waitForLoadState("networkidle");
    // As the service worker marks a page it served from its cache.
    if (mark) { await page.evaluate(() => document.documentElement.setAttribute("data-offline-copy", "")); }
    await page.waitForTimeout(150);
  };
  const close = async () => { await browser.close(); server.close(); };
  return { page, problems, visit, close };
}

const commands = {
  async axe(args) {
    const report = [];
    for (const width of args.widths) {
      const { page, problems, visit, close } = await session(args.site, width, 800, args.prefix);
      for (const p of args.paths) {
        await visit(p);
        // What a reader would open (languages not yet translated, notes) is checked open.
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
        for (const scheme of args.schemes) {
          await page.emulateMedia({ colorScheme: scheme });
          if (!(await page.evaluate(() => Boolean(window.axe)))) { await page.evaluate(AXE); }
          const violations = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }).then((r) =>
            r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({
              target: n.target.join(" "), summary: n.failureSummary.replace(/\s+/g, " ").slice(0, 200),
              // In the Markdown's own output (its headings are the writer's), or in the theme's?
              in_content: Boolean(document.querySelector(n.target[0]) && document.querySelector(n.target[0]).closest(".content")),
            })) }))), RULE_SETS);
          report.push({ path: p, url: page.url(), width, scheme, violations });
        }
      }
      await close();
      if (problems.length) { report.push({ path: "(scripts)", width, scheme: "", violations: problems.map((m) => ({ id: "script-error", nodes: [{ target: m, summary: "", in_content: false }] })) }); }
    }
    return { rules: RULE_SETS, axe: window_free_version(), pages: report };
  },

  async keyboard(args) {
    const { page, visit, close } = await session(args.site, args.width, args.height);
    const report = [];
    for (const p of args.paths) {
      await visit(p, args.offline_copy);
      const tabbable = await page.evaluate(describeTabbable);
      // The skip link: first Tab, then Enter.
      await page.keyboard.press("Tab");
      const first = await page.evaluate(describeFocus);
      await page.keyboard.press("Enter");
      await page.waitForTimeout(100);
      const afterSkip = await page.evaluate(() => { const el = document.activeElement; return el ? el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") : null; });
      await page.keyboard.press("Tab");
      const afterSkipTab = await page.evaluate(describeFocus);
      // The whole walk forwards, then backwards from the end.
      await visit(p, args.offline_copy);
      const forward = [];
      for (let i = 0; i < tabbable.length + 5; i++) {
        await page.keyboard.press("Tab");
        const seen = await page.evaluate(describeFocus);
        if (!seen || (forward.length && seen.key === forward[0].key)) { break; }
        forward.push(seen);
      }
      const backward = [];
      for (let i = 0; i < tabbable.length + 5; i++) {
        await page.keyboard.press("Shift+Tab");
        const seen = await page.evaluate(describeFocus);
        // From the skip link (where Tab wrapped round to) Shift+Tab leaves
        // the page first.
        if (!seen && backward.length === 0 && i === 0) { continue; }
        if (!seen) { break; }
        backward.push(seen.key);
        if (seen.key === forward[0]?.key) { break; }
      }
      report.push({ path: p, tabbable, first, afterSkip, afterSkipTab, forward, backward });
    }
    await close();
    return { pages: report };
  },

  async rtl(args) {
    const { page, visit, close } = await session(args.site, 1280);
    const report = [];
    for (const [ltr, rtl] of args.pairs) {
      const sides = [];
      for (const p of [ltr, rtl]) {
        await visit(p);
        sides.push(await page.evaluate(sidesOf, MIRRORED));
      }
      await visit(rtl);
      const extra = await page.evaluate(() => ({
        dir: document.documentElement.dir,
        code: Array.from(document.querySelectorAll("main pre")).map((pre) => getComputedStyle(pre).direction + " " + getComputedStyle(pre).textAlign),
        switcher: Array.from(document.querySelectorAll(".language-switcher a[hreflang]")).map((a) => ({ hreflang: a.getAttribute("hreflang"), lang: a.getAttribute("lang"), dir: a.getAttribute("dir"), direction: getComputedStyle(a).direction })),
      }));
      report.push(Object.assign({ ltr, rtl, left_to_right: sides[0], right_to_left: sides[1] }, extra));
    }
    await close();
    return { pages: report };
  },
};

// What should mirror between a page in a left-to-right and one in a
// right-to-left language: the first element of each selector.
const MIRRORED = [".site-title", ".site-menu", ".language-switcher", ".breadcrumbs ol", ".notice", ".toc", ".toc ul", ".toc-level-3",
  ".section-nav", ".page-list", ".section-list", ".term-list", ".alert", "blockquote", ".content ul", ".content ol", "th", ".search-results"];

// In the page: each selector's first element, its box's place in the page's
// width, and its left and right paddings, margins, borders and corners.
function sidesOf(selectors) {
  const out = {};
  for (const sel of selectors) {
    const el = document.querySelector(sel);
    if (!el) { continue; }
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    out[sel] = {
      direction: s.direction,
      start: Math.round(s.direction === "rtl" ? width - r.right : r.left),
      padding: [s.paddingLeft, s.paddingRight], margin: [s.marginLeft, s.marginRight],
      border: [s.borderLeftWidth + " " + s.borderLeftStyle, s.borderRightWidth + " " + s.borderRightStyle],
      corners: [s.borderTopLeftRadius, s.borderTopRightRadius], align: s.textAlign,
    };
  }
  return out;
}

function window_free_version() {
  return JSON.parse(fs.readFileSync(new URL("./node_modules/axe-core/package.json", import.meta.url), "utf8")).version;
}

// In the page: the element that has focus, where it is, and whether it shows that it has.
function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) { return null; }
  const style = getComputedStyle(el);
  const landmark = el.closest("nav[aria-label], header.site-header, main, footer, aside, [role=search]");
  const where = (el.closest("main") && landmark.tagName !== "MAIN" ? "main " : "") + (landmark ? landmark.tagName.toLowerCase() + (landmark.className ? "." + landmark.className.split(" ").join(".") : "") : "body");
  const r = el.getBoundingClientRect();
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || (style.boxShadow && style.boxShadow !== "none");
  const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  // Something drawn over it (a fixed banner, a sticky box)?
  const line = el.getClientRects()[0] || r;
  const hit = inView ? document.elementFromPoint(Math.min(Math.max(line.left + line.width / 2, 0), innerWidth - 1), Math.min(Math.max(line.top + line.height / 2, 0), innerHeight - 1)) : null;
  const covered = Boolean(hit && !el.contains(hit) && !hit.contains(el));
  window.__irKeys = window.__irKeys || new Map();
  if (!window.__irKeys.has(el)) { window.__irKeys.set(el, window.__irKeys.size); }
  const name = (el.textContent || el.getAttribute("aria-label") || el.getAttribute("placeholder") || "").trim().replace(/\s+/g, " ").slice(0, 40);
  return {
    key: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "") + " " + name + " @" + window.__irKeys.get(el),
    tag: el.tagName.toLowerCase(), classes: String(el.className || ""), href: el.getAttribute("href"), where, ring, inView, covered: covered ? hit.tagName.toLowerCase() + "." + hit.className : false,
  };
}

// In the page: every element Tab should reach, in document order.
function describeTabbable() {
  // Boxes that scroll with nothing focusable inside: Chromium puts them in the Tab order itself.
  const scrollers = () => Array.from(document.querySelectorAll("body *")).filter((el) => {
    const s = getComputedStyle(el);
    const scrolls = (/(auto|scroll)/.test(s.overflowX) && el.scrollWidth > el.clientWidth) || (/(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight);
    return scrolls && el.tabIndex < 0 && !el.querySelector("a[href], button, input, select, textarea, summary, [tabindex]");
  });
  const all = document.querySelectorAll("a[href], button, input, select, textarea, summary, iframe, [tabindex]");
  return Array.from(all).filter((el) => {
    if (el.disabled || el.tabIndex < 0) { return false; }
    if (el.matches("details:not([open]) > :not(summary) *, details:not([open]) > :not(summary)")) { return false; }
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none" && el.getClientRects().length > 0 || el.matches(".skip-link");
  }).concat(scrollers()).sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
    .map((el) => el.tagName.toLowerCase() + " " + (el.textContent || el.getAttribute("placeholder") || "").trim().replace(/\s+/g, " ").slice(0, 40));
}

runCommand(commands);
