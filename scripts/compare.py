#!/usr/bin/env python3
"""Side by side: pagemill against resiliparse and trafilatura on the same pages.

usage: scripts/compare.py [DIR] [--gold GOLD.jsonl] [--every N] [--pagemill BIN]

DIR defaults to ../shared/eval/wcxb-dev/html and GOLD to the gold.jsonl beside it. Every N-th page
(sorted by name, default N=5, --every 1 for all) is measured, the same pages for every tool, on one
thread:

- pagemill: the whole pipeline (read, decompress, decode, parse, extract all four tables, serialise
  rows) from `pagemill bench --jobs 1` on a copy of the sample; F1 from `pagemill eval --jobs 1`.
- resiliparse (`extract_plain_text(main_content=True)`) and trafilatura (`extract()`, defaults):
  only their extraction call over HTML already read, decompressed and decoded in memory, so the
  comparison favours them.

Peers that are not installed (`pip install resiliparse trafilatura`) are skipped. Prints MB/s,
pages/s, macro word F1 (the WCXB metric of ../shared/tools/score_extraction.py) and each tool's
speed as a ratio of pagemill's. Accuracy figures use WCXB (Murrough Foley, 2026, CC-BY-4.0).
"""
import argparse, gzip, json, os, re, shutil, subprocess, sys, tempfile, time
from collections import Counter

TOKEN = re.compile(r"\w+")


def f1(pred, ref):
    p, r = Counter(TOKEN.findall(pred.lower())), Counter(TOKEN.findall(ref.lower()))
    if not r:
        return 1.0 if not p else 0.0
    if not p:
        return 0.0
    o = sum((p & r).values())
    if not o:
        return 0.0
    pr, rc = o / sum(p.values()), o / sum(r.values())
    return 2 * pr * rc / (pr + rc)


def page_id(name):
    for ext in (".gz", ".zst", ".html", ".htm"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    return name


def load(path):
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data


def decode(data):
    try:
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding

        return bytes_to_str(data, detect_encoding(data))
    except ImportError:
        return data.decode("utf-8", "replace")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default=os.path.join(here, "../../shared/eval/wcxb-dev/html"))
    ap.add_argument("--gold")
    ap.add_argument("--every", type=int, default=5)
    ap.add_argument("--pagemill", default=os.path.join(here, "../target/release/pagemill"))
    a = ap.parse_args()
    gold_path = a.gold or os.path.join(os.path.dirname(os.path.abspath(a.dir)), "gold.jsonl")
    gold = {}
    if os.path.exists(gold_path):
        for line in open(gold_path, encoding="utf-8"):
            if line.strip():
                g = json.loads(line)
                gold[str(g["id"])] = g.get("main_content") or ""
    names = sorted(n for n in os.listdir(a.dir) if re.search(r"\.html?(\.gz)?$", n))[:: a.every]
    if not names:
        sys.exit(f"no pages in {a.dir}")
    tmp = tempfile.mkdtemp(prefix="pagemill-compare-")
    try:
        for n in names:
            shutil.copy(os.path.join(a.dir, n), tmp)
        raw = [load(os.path.join(tmp, n)) for n in names]
        mb = sum(len(r) for r in raw) / 1e6
        print(f"{len(names)} pages, {mb:.1f} MB of HTML (every {a.every}th page of {a.dir}), one thread")
        results = []

        bench = json.loads(subprocess.run([a.pagemill, "bench", tmp, "--jobs", "1", "--json"],
                                          check=True, capture_output=True, text=True).stdout)
        one = [w for w in bench["whole"] if w[0] == 1][0]
        pm_f1 = None
        if gold:
            dump = os.path.join(tmp, "pred.jsonl")
            gsub = os.path.join(tmp, "gold.jsonl")
            with open(gsub, "w", encoding="utf-8") as f:
                for n in names:
                    i = page_id(n)
                    if i in gold:
                        f.write(json.dumps({"id": i, "main_content": gold[i]}) + "\n")
            subprocess.run([a.pagemill, "eval", "--gold", gsub, "--pages", tmp, "--jobs", "1",
                            "--dump", dump], check=True, capture_output=True)
            pred = {}
            for line in open(dump, encoding="utf-8"):
                d = json.loads(line)
                pred[str(d["id"])] = d.get("text") or ""
            ids = [page_id(n) for n in names if page_id(n) in gold]
            pm_f1 = sum(f1(pred.get(i, ""), gold[i]) for i in ids) / len(ids)
        results.append(("pagemill (whole pipeline)", one[2], one[1], pm_f1))

        texts = [decode(r) for r in raw]
        peers = []
        try:
            from resiliparse.extract.html2text import extract_plain_text

            peers.append(("resiliparse (extract only)", lambda h: extract_plain_text(h, main_content=True)))
        except ImportError:
            print("resiliparse not installed: skipped")
        try:
            import trafilatura

            peers.append(("trafilatura (extract only)", lambda h: trafilatura.extract(h) or ""))
        except ImportError:
            print("trafilatura not installed: skipped")
        for label, fn in peers:
            out = []
            t0 = time.perf_counter()
            for h in texts:
                try:
                    out.append(fn(h) or "")
                except Exception:  # a peer failing on a page scores 0 there
                    out.append("")
            dt = time.perf_counter() - t0
            score = None
            if gold:
                pairs = [(o, gold[page_id(n)]) for o, n in zip(out, names) if page_id(n) in gold]
                score = sum(f1(o, g) for o, g in pairs) / len(pairs)
            results.append((label, mb / dt, len(names) / dt, score))

        base = results[0][1]
        print(f"{'tool':<28} {'MB/s':>8} {'pages/s':>8} {'F1':>6} {'pagemill speed ÷ tool':>22}")
        for label, mbs, pps, score in results:
            s = f"{score:.3f}" if score is not None else "-"
            ratio = "-" if label.startswith("pagemill") else f"{base / mbs:.2f}x"
            print(f"{label:<28} {mbs:8.1f} {pps:8.1f} {s:>6} {ratio:>22}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
