#!/usr/bin/env python3
"""Words misspelt at both ends: does the browser find what `infrared search` finds?

Takes the words of 8 letters or more of a built site's language (from its
tail shards), misspells each with one edit among its last two letters and
one more (deterministic), and compares the first five results of the
browser (tests/browser/harness.mjs, headless Chromium) with the native
search's. Prints how many queries each found something for, and how many
agree.

    benches/search/typos.py --bin target/release/infrared --root SITE --out OUT [--lang en] [--words 150] [--slips ends|every]

`--slips ends` (the default) puts the other edit among the first two
letters; `--slips every` misspells each word once for every letter the
other edit can be at (from the first to the third from the end), and
prints the counts for each.
"""
import argparse, glob, json, random, re, subprocess, sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_$~.!"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def terms(out, lang):
    found = set()
    for path in sorted(glob.glob(f"{out}/search/{lang}/t-*.js")):
        text = json.loads(re.search(r',\d+,(".*")\);', Path(path).read_text(), re.S).group(1))
        previous = ""
        for line in text.split("\n"):
            previous = previous[: DIGITS.index(line[0])] + line[1:]
            found.add(previous[::-1])
    return sorted(t for t in found if len(t) >= 8 and t.isalpha() and t.isascii())


def edit(w, at, rng):
    """One edit of `w` at letter `at` (0-based): a letter changed, dropped, added or swapped with the next."""
    kind = rng.choice(["change", "drop", "add", "swap"])
    if kind == "change":
        return w[:at] + rng.choice(LETTERS.replace(w[at], "")) + w[at + 1 :]
    if kind == "drop":
        return w[:at] + w[at + 1 :]
    if kind == "add":
        return w[:at] + rng.choice(LETTERS) + w[at:]
    at = min(at, len(w) - 2)
    return w[:at] + w[at + 1] + w[at] + w[at + 2 :]


def misspelt(word, rng, at=None):
    """`word` with an edit among its last two letters, then one at `at` (default: among its first two)."""
    end = edit(word, len(word) - 1 - rng.randrange(2), rng)
    return edit(end, rng.randrange(2) if at is None else at, rng)


def native_urls(a, query):
    r = subprocess.run([a.bin, "search", "--root", a.root, "--out", a.out, "--lang", a.lang, "--json", query],
                       capture_output=True, text=True, check=True)
    return [h["url"] for h in json.loads(r.stdout)["hits"]][:5]


def browser_urls(a, queries):
    rows = [[a.lang, q] for q in queries]
    r = subprocess.run(["node", str(REPO / "tests/browser/harness.mjs"), "queries",
                        json.dumps({"site": a.out, "mode": "http", "rows": rows})],
                       capture_output=True, text=True, check=True)
    return [urls[:5] for urls in json.loads(r.stdout)["results"]]


def counts(native, browser):
    found_n = sum(1 for n in native if n)
    found_b = sum(1 for b in browser if b)
    same_first = sum(1 for n, b in zip(native, browser) if n and b and n[0] == b[0])
    both_empty = sum(1 for n, b in zip(native, browser) if not n and not b)
    found_both = sum(1 for n, b in zip(native, browser) if n and b)
    return found_n, found_b, same_first, both_empty, found_both


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lang", default="en")
    p.add_argument("--words", type=int, default=150)
    p.add_argument("--slips", choices=["ends", "every"], default="ends")
    a = p.parse_args()
    rng = random.Random(24)
    words = terms(a.out, a.lang)
    chosen = rng.sample(words, min(a.words, len(words)))
    if a.slips == "ends":
        cases = [(w, None, misspelt(w, rng)) for w in chosen]
    else:
        cases = [(w, at, misspelt(w, rng, at)) for w in chosen for at in range(len(w) - 2)]
    queries = [q for _, _, q in cases]
    native = [native_urls(a, q) for q in queries]
    browser = browser_urls(a, queries)
    found_n, found_b, same_first, both_empty, found_both = counts(native, browser)
    print(f"{len(queries)} queries: native found {found_n}, browser {found_b} ({found_both} of the native's); "
          f"same first result {same_first}, both nothing {both_empty}")
    if a.slips == "every":
        print("other slip at letter: queries, native found, browser found, same first result")
        for at in sorted({at for _, at, _ in cases}):
            rows = [i for i, (_, k, _) in enumerate(cases) if k == at]
            n, b, same, _, _ = counts([native[i] for i in rows], [browser[i] for i in rows])
            print(f"  {at + 1:2}: {len(rows):4} {n:4} {b:4} {same:4}")
    for (w, _, q), n, b in zip(cases, native, browser):
        if n[:1] != b[:1]:
            print(f"  {q!r} (from {w!r}): native {n[:1]} browser {b[:1]}", file=sys.stderr)


main()
