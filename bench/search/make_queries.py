#!/usr/bin/env python3
"""make_queries.py — the query set of bench/search, deterministic.

    make_queries.py NAMES.tsv MISSPELLINGS.tsv OUT.tsv [N] [SEED]

NAMES.tsv comes from `bench_search export` (drug id, kind, name). N names
(default 1000) are drawn with random.Random(SEED) (default 4) among the
names whose key (lower case, accents and punctuation folded) is 5 to 30
letters and spaces, and each gets random typos: one (70%) or two (30%) of
deletion, insertion, substitution (a random letter) and transposition of two
neighbours, at uniformly random letter positions. The expected answer is
every drug that has a name with the original key. Then every line of
t/search/misspellings.tsv whose expected drug is in NAMES.tsv (by display
name), with its category. OUT.tsv: query, expected drug ids (comma
separated), category ("typo1", "typo2", or the list's category).
"""
import random
import re
import sys
import unicodedata

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def key(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe")
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def typo(rng, s):
    pos = [i for i, c in enumerate(s) if c != " "]
    i = rng.choice(pos)
    op = rng.choice(("delete", "insert", "substitute", "transpose"))
    if op == "delete":
        return s[:i] + s[i + 1:]
    if op == "insert":
        return s[:i] + rng.choice(LETTERS) + s[i:]
    if op == "substitute":
        return s[:i] + rng.choice([c for c in LETTERS if c != s[i]]) + s[i + 1:]
    if i + 1 < len(s) and s[i + 1] != " " and s[i + 1] != s[i]:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i + 1:]          # nothing to swap: a deletion


def main():
    names_path, list_path, out_path = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 4
    by_key, display = {}, {}
    with open(names_path, encoding="utf-8") as f:
        for line in f:
            drug, kind, name = line.rstrip("\n").split("\t", 2)
            k = key(name)
            if k:
                by_key.setdefault(k, set()).add(int(drug))
            if kind == "0":
                display.setdefault(key(name), set()).add(int(drug))
    pool = sorted(k for k in by_key if 5 <= len(k) <= 30 and re.fullmatch(r"[a-z ]+", k))
    rng = random.Random(seed)
    out = []
    for k in rng.sample(pool, n):
        ntypos = 1 if rng.random() < 0.7 else 2
        while True:
            q = k
            for _ in range(ntypos):
                q = typo(rng, q)
            if q != k and q.strip():
                break
        out.append((q, sorted(by_key[k]), "typo%d" % ntypos))
    skipped = 0
    with open(list_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            want = display.get(key(cols[1]))
            if not want:
                skipped += 1
                continue
            out.append((cols[0], sorted(want), cols[2]))
    with open(out_path, "w", encoding="utf-8") as f:
        for q, drugs, cat in out:
            f.write("%s\t%s\t%s\n" % (q, ",".join(map(str, drugs)), cat))
    print("make_queries: %d queries (%d from %d candidate names, seed %d; %d list lines skipped)"
          % (len(out), n, len(pool), seed, skipped), file=sys.stderr)


if __name__ == "__main__":
    main()
