// `infrared serve` in a real browser (tests/serve.rs runs it against a
// running server): many tabs of one browser at once, each still loading
// and reloading when its page changes, also after the tab that listened
// for all of them is closed.
//
//   node serve.mjs tabs '{"base": "http://127.0.0.1:PORT/", "pages": [...],
//     "file": "/…/content/hello.md", "edits": [[text, marker], …]}'
// opens every page in a tab of its own, then writes each edit's text to
// `file` in turn (closing the first tab before the second edit) and
// waits until the last tab shows its marker.

import { chromium } from "playwright-core";
import fs from "node:fs";
import { runCommand } from "./cli.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const WAIT = 30000;

async function tabs(args) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
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
    return { loaded, reloaded };
  } finally {
    await browser.close();
  }
}

runCommand({ tabs });
