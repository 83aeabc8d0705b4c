#!/usr/bin/env python3
"""report.py — the table of bench/search from the engines' JSON lines.

    report.py FILE.json...

Prints a Markdown table: queries/s, p50/p99 latency, top-1/top-5 accuracy
and Materia's throughput as a multiple of each peer's; then the issue's
three goals, each with what was measured.
"""
import json
import sys


def num(v):
    """Thousands separated; two decimals for the slow engines."""
    return format(v, ",.0f") if v >= 100 else format(v, ",.2f")


def main():
    rows = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip().startswith("{")]
    if not rows:
        sys.exit("report.py: no results")
    m = next((r for r in rows if r["engine"] == "materia"), None)
    print("| engine | queries/s (wall) | queries/s (CPU time) | p50 (µs) | p99 (µs) | top-1 | top-5 "
          "| Materia ÷ engine (wall) | Materia ÷ engine (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        cq = r.get("cpu_qps", 0)
        ratio = "" if not m or r is m else format(m["qps"] / max(r["qps"], 1e-9), ",.0f") + "×"
        cratio = "" if not m or r is m or not cq else format(m.get("cpu_qps", 0) / cq, ",.0f") + "×"
        print("| %s | %s | %s | %.1f | %.1f | %.1f%% | %.1f%% | %s | %s |" % (
            r["engine"], num(r["qps"]), num(cq), r["p50_us"], r["p99_us"],
            100 * r["top1"], 100 * r["top5"], ratio, cratio))
    peers = [r for r in rows if r is not m]
    if m and peers:
        fastest = max(peers, key=lambda r: r["qps"])
        best = max(peers, key=lambda r: r["top1"])
        print()
        print("- throughput: %.0f× the fastest peer (%s) in wall-clock time; goal 100×: %s" % (
            m["qps"] / fastest["qps"], fastest["engine"], "met" if m["qps"] >= 100 * fastest["qps"] else "NOT met"))
        cfast = max(peers, key=lambda r: r.get("cpu_qps", 0))
        if cfast.get("cpu_qps") and m.get("cpu_qps"):
            print("- throughput per CPU second: %.0f× the fastest peer (%s); goal 100×: %s" % (
                m["cpu_qps"] / cfast["cpu_qps"], cfast["engine"],
                "met" if m["cpu_qps"] >= 100 * cfast["cpu_qps"] else "NOT met"))
        print("- top-1: %.1f%% against %.1f%% for the most accurate peer (%s); goal above it: %s" % (
            100 * m["top1"], 100 * best["top1"], best["engine"], "met" if m["top1"] > best["top1"] else "NOT met"))
        print("- p99 in-process: %.1f µs; goal under 100 µs: %s" % (
            m["p99_us"], "met" if m["p99_us"] < 100 else "NOT met"))


if __name__ == "__main__":
    main()
