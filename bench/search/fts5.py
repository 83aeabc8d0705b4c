#!/usr/bin/env python3
"""fts5.py — the SQLite FTS5 peer of bench/search.

    fts5.py NAMES.tsv QUERIES.tsv [SECONDS]

Indexes every name (bench_search export) in an in-memory FTS5 table with the
trigram tokenizer, and answers each query with the OR of its trigrams
(each a quoted phrase), ranked by bm25, the 20 best names mapped to their
drugs, duplicates dropped, the first 5 kept. Passes repeat until SECONDS
(default 3) have passed, at least one. Prints one JSON line: queries/s over
wall-clock time and over the thread's CPU time, p50/p99 wall-clock latency
(microseconds), top-1/top-5 accuracy.
"""
import json
import sqlite3
import sys
import time


def trigram_query(q):
    q = q.lower()
    grams = {q[i:i + 3] for i in range(len(q) - 2)} if len(q) >= 3 else {q}
    grams = sorted(g for g in grams if g.strip())
    return " OR ".join('"%s"' % g.replace('"', '""') for g in grams)


def main():
    names_path, queries_path = sys.argv[1:3]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE names USING fts5(name, drug UNINDEXED, tokenize='trigram')")
    t0 = time.perf_counter()
    with open(names_path, encoding="utf-8") as f:
        rows = [(line.rstrip("\n").split("\t", 2)[2], int(line.split("\t", 1)[0])) for line in f if line.strip()]
    db.executemany("INSERT INTO names(name, drug) VALUES (?, ?)", rows)
    db.commit()
    build_ms = (time.perf_counter() - t0) * 1e3
    queries = []
    with open(queries_path, encoding="utf-8") as f:
        for line in f:
            q, expected, cat = line.rstrip("\n").split("\t")
            queries.append((trigram_query(q), {int(x) for x in expected.split(",")}))
    sql = "SELECT drug FROM names WHERE names MATCH ? ORDER BY bm25(names) LIMIT 20"
    lat, top1, top5, passes = [], 0, 0, 0
    start = time.perf_counter()
    cpu0 = time.thread_time()
    while True:
        for match, expected in queries:
            a = time.perf_counter()
            res = []
            if match:
                for (drug,) in db.execute(sql, (match,)):
                    if drug not in res:
                        res.append(drug)
                        if len(res) == 5:
                            break
            lat.append((time.perf_counter() - a) * 1e6)
            if passes == 0:
                top1 += bool(res) and res[0] in expected
                top5 += any(d in expected for d in res)
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    cpu = time.thread_time() - cpu0
    lat.sort()
    print(json.dumps({
        "engine": "sqlite-fts5", "config": "trigram tokenizer, OR of the query's trigrams, ORDER BY bm25",
        "sqlite": sqlite3.sqlite_version, "names": len(rows), "queries": len(queries), "passes": passes,
        "build_ms": round(build_ms), "qps": round(len(lat) / elapsed, 2), "cpu_qps": round(len(lat) / cpu, 2),
        "p50_us": round(lat[len(lat) // 2], 1), "p99_us": round(lat[int(len(lat) * 0.99)], 1),
        "top1": round(top1 / len(queries), 4), "top5": round(top5 / len(queries), 4),
    }))


if __name__ == "__main__":
    main()
