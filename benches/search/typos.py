#!/usr/bin/env python3
"""Words misspelt at both ends: does the browser find what `infrared search` finds?

Takes the words of 8 letters or more of a built site's language (from its
tail shards), misspells each with one edit among its first two letters and
one among its last two (deterministic), and compares the first five results
of the browser (tests/browser/harness.mjs, headless Chromium) with the
native search's. Prints how many queries each found something for, and how
many agree.

    benches/search/typos.py --bin target/release/infrared --root SITE --out OUT [--lang en] [--words 150]
"""
import argparse, glob, json, random, re, subprocess, sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_$~.!"


def terms(out, lang):
    found = set()
    for path in sorted(glob.glob(f"{out}/search/{lang}/t-*.js")):
        text = json.loads(re.search(r',\d+,(".*")\);', Path(path).read_text(), re.S).group(1))
        previous = ""
        for line in text.split("\n"):
            previous = previous[: DIGITS.index(line[0])] + line[1:]
            found.add(previous[::-1])
    return sorted(t for t in found if len(t) >= 8 and t.isalpha() and t.isascii())


def misspelt(word, rng):
    letters = "abcdefghijklmnopqrstuvwxyz"
    def edit(w, at):
        kind = rng.choice(["change", "drop", "add", "swap"])
        if kind == "change":
            return w[:at] + rng.choice(letters.replace(w[at], "")) + w[at + 1 :]
        if kind == "drop":
            return w[:at] + w[at + 1 :]
        if kind == "add":
            return w[:at] + rng.choice(letters) + w[at:]
        at = min(at, len(w) - 2)
        return w[:at] + w[at + 1] + w[at] + w[at + 2 :]
    end = edit(word, len(word) - 1 - rng.randrange(2))
    return edit(end, rng.randrange(2))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lang", default="en")
    p.add_argument("--words", type=int, default=150)
    a = p.parse_args()
    rng = random.Random(24)
    words = terms(a.out, a.lang)
    chosen = rng.sample(words, min(a.words, len(words)))
    queries = [misspelt(w, rng) for w in chosen]
    native = []
    for q in queries:
        r = subprocess.run([a.bin, "search", "--root", a.root, "--out", a.out, "--lang", a.lang, "--json", q],
                           capture_output=True, text=True, check=True)
        native.append([h["url"] for h in json.loads(r.stdout)["hits"]][:5])
    rows = [[a.lang, q] for q in queries]
    r = subprocess.run(["node", str(REPO / "tests/browser/harness.mjs"), "queries",
                        json.dumps({"site": a.out, "mode": "http", "rows": rows})],
                       capture_output=True, text=True, check=True)
    browser = [urls[:5] for urls in json.loads(r.stdout)["results"]]
    found_n = sum(1 for n in native if n)
    found_b = sum(1 for b in browser if b)
    same_first = sum(1 for n, b in zip(native, browser) if n and b and n[0] == b[0])
    both_empty = sum(1 for n, b in zip(native, browser) if not n and not b)
    print(f"{len(queries)} queries: native found {found_n}, browser {found_b}; "
          f"same first result {same_first}, both nothing {both_empty}")
    for q, w, n, b in zip(queries, chosen, native, browser):
        if (n[:1] != b[:1]):
            print(f"  {q!r} (from {w!r}): native {n[:1]} browser {b[:1]}", file=sys.stderr)


main()
