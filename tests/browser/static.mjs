// A static file server on 127.0.0.1 for the browser scripts: serves the
// built site in `root` at `prefix` (a site with a base_url's path, whose
// 404 pages link to it from the root), a folder as its index.html.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".xml": "application/xml", ".json": "application/json", ".png": "image/png", ".wasm": "application/wasm", ".jpg": "image/jpeg", ".webp": "image/webp" };

// `slow`: milliseconds to wait before answering for a file of search/ (a slow link).
export function serveFolder(root, { prefix = "/", slow = 0 } = {}) {
  return new Promise((resolve) => {
    const server = http.createServer(async (req, res) => {
      if (slow && req.url.includes("/search/") && /\.(js|wasm)$/.test(req.url)) { await new Promise((r) => setTimeout(r, slow)); }
      const wanted = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (!wanted.startsWith(prefix)) { res.writeHead(404); res.end("not found"); return; }
      let file = path.join(root, wanted.slice(prefix.length - 1));
      if (!file.startsWith(root)) { res.writeHead(400); res.end(); return; }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, "index.html"); }
      if (!fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
