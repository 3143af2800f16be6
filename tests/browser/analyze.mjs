// Runs the analyzer's WebAssembly module in Node, as the browser does, for the
// test that compares it with the native analyzer. Input on stdin:
// {"wasm": path, "lang": "ca", "texts": [...]}; output: [[terms...], ...].
import fs from "node:fs";

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const { instance } = await WebAssembly.instantiate(fs.readFileSync(input.wasm), {});
const wasm = instance.exports;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
function put(bytes) {
  const at = wasm.alloc(bytes.length);
  new Uint8Array(wasm.memory.buffer, at, bytes.length).set(bytes);
  return at;
}
const out = input.texts.map((text) => {
  const l = encoder.encode(input.lang);
  const t = encoder.encode(text);
  const lp = put(l);
  const tp = put(t);
  const result = wasm.analyze(lp, l.length, tp, t.length);
  const length = new DataView(wasm.memory.buffer).getUint32(result, true);
  const terms = decoder.decode(new Uint8Array(wasm.memory.buffer, result + 4, length));
  wasm.dealloc(lp, l.length);
  wasm.dealloc(tp, t.length);
  return terms ? terms.split("\n") : [];
});
process.stdout.write(JSON.stringify(out));
