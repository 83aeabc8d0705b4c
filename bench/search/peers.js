// bench/search/peers.js — the JavaScript peers of bench/search: minisearch
// (prefix + fuzzy), flexsearch and fuse.js, each over the same names as
// Materia (bench_search export), answering the same queries.
//
//   node bench/search/peers.js NAMES.tsv QUERIES.tsv [ENGINES] [SECONDS]
//
// ENGINES: comma-separated subset of minisearch,flexsearch,fuse (default all).
// Each engine indexes every name with its drug id, then answers every query
// (top 20 names, mapped to drugs, duplicates dropped, first 5 kept); passes
// repeat until SECONDS (default 3) have passed, at least one. One JSON line per
// engine: queries/s over wall-clock time and over the process's CPU time
// (user + system: garbage collection included, other processes' load not),
// p50/p99 wall-clock latency (microseconds), top-1/top-5 accuracy.
"use strict";
const path = require("path");
const { loadNames, loadQueries, top5 } = require("./common.js");

// Resolve the packages of bench/package.json (bench/node_modules).
const req = require("module").createRequire(path.join(__dirname, "..", "package.json"));
const MiniSearch = req("minisearch");
const { Index, Charset } = req("flexsearch");
const Fuse = req("fuse.js");

const [namesPath, queriesPath, enginesArg, secondsArg] = process.argv.slice(2);
if (!namesPath || !queriesPath) {
  console.error("usage: node peers.js NAMES.tsv QUERIES.tsv [ENGINES] [SECONDS]");
  process.exit(2);
}
const seconds = Number(secondsArg || 3);

const docs = loadNames(namesPath);
const queries = loadQueries(queriesPath);

const engines = {
  minisearch: {
    config: "fields [name], search {prefix: true, fuzzy: 0.2}",
    build() {
      const ms = new MiniSearch({ fields: ["name"], idField: "id" });
      ms.addAll(docs);
      return (q) => ms.search(q, { prefix: true, fuzzy: 0.2 }).slice(0, 20).map((r) => docs[r.id].drug);
    },
  },
  flexsearch: {
    // The most accurate of the configurations tried on this query set
    // (tokenize forward/tolerant/strict x encoders LatinAdvanced, LatinExtra,
    // LatinSoundex, LatinBalance): tolerant + LatinBalance.
    config: "Index {tokenize: tolerant, encoder: Charset.LatinBalance}, search {limit: 20, suggest: true}",
    build() {
      const ix = new Index({ tokenize: "tolerant", encoder: Charset.LatinBalance });
      for (const d of docs) ix.add(d.id, d.name);
      return (q) => ix.search(q, { limit: 20, suggest: true }).map((id) => docs[id].drug);
    },
  },
  fuse: {
    config: "keys [name], defaults (threshold 0.6), search {limit: 20}",
    build() {
      const f = new Fuse(docs, { keys: ["name"] });
      return (q) => f.search(q, { limit: 20 }).map((r) => r.item.drug);
    },
  },
};


function run(name) {
  const e = engines[name];
  const t0 = process.hrtime.bigint();
  const search = e.build();
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const lat = [];
  let top1 = 0, top5ok = 0, passes = 0;
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let elapsed = 0;
  do {
    for (const q of queries) {
      const a = process.hrtime.bigint();
      const res = top5(search(q.q));
      lat.push(Number(process.hrtime.bigint() - a) / 1e3);
      if (passes === 0) {
        if (res.length && q.expected.has(res[0])) top1++;
        if (res.some((d) => q.expected.has(d))) top5ok++;
      }
    }
    passes++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < seconds);
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  lat.sort((a, b) => a - b);
  console.log(JSON.stringify({
    engine: name, config: e.config, names: docs.length, queries: queries.length, passes,
    build_ms: Math.round(buildMs), qps: +(lat.length / elapsed).toFixed(2),
    cpu_qps: +(lat.length / cpuSeconds).toFixed(2),
    p50_us: +lat[Math.floor(lat.length / 2)].toFixed(1), p99_us: +lat[Math.floor(lat.length * 0.99)].toFixed(1),
    top1: +(top1 / queries.length).toFixed(4), top5: +(top5ok / queries.length).toFixed(4),
  }));
}

for (const name of (enginesArg || "minisearch,flexsearch,fuse").split(",")) {
  if (!engines[name]) {
    console.error(`peers.js: unknown engine ${name}`);
    process.exit(2);
  }
  run(name);
}
