// bench/search/flex_configs.js — how flexsearch's configuration was chosen for
// bench/search: every tokenizer x encoder x option tried on the same names and
// queries, one pass each, top-1/top-5 and a rough queries/s (one pass, so noisy).
// peers.js uses the most accurate configuration found here.
//
//   node bench/search/flex_configs.js NAMES.tsv QUERIES.tsv > configs.jsonl
//
// NAMES.tsv and QUERIES.tsv are the files bench/search/run.sh writes to
// build/bench-search/. Takes about half an hour: tokenize "full" builds slowly.
"use strict";
const path = require("path");
const { loadNames, loadQueries, top5 } = require("./common.js");

const req = require("module").createRequire(path.join(__dirname, "..", "package.json"));
const { Index, Charset } = req("flexsearch");

const [namesPath, queriesPath] = process.argv.slice(2);
if (!namesPath || !queriesPath) {
  console.error("usage: node flex_configs.js NAMES.tsv QUERIES.tsv");
  process.exit(2);
}
const docs = loadNames(namesPath);
const queries = loadQueries(queriesPath);


const tokenizers = ["strict", "forward", "reverse", "full", "tolerant"];
const encoders = ["LatinBalance", "LatinAdvanced", "LatinExtra", "LatinSoundex", "LatinDefault",
  "LatinSimple", "Normalize"];
const options = [{}, { context: true }, { resolution: 3 }];

for (const tokenize of tokenizers) {
  for (const enc of encoders) {
    for (const opt of options) {
      if (tokenize === "full" && opt.context) continue;   // not supported together
      const ix = new Index(Object.assign({ tokenize, encoder: Charset[enc] }, opt));
      for (const d of docs) ix.add(d.id, d.name);
      for (const suggest of [true, false]) {
        let top1 = 0, top5ok = 0;
        const t0 = process.hrtime.bigint();
        for (const q of queries) {
          const res = top5(ix.search(q.q, { limit: 20, suggest }).map((id) => docs[id].drug));
          if (res.length && q.expected.has(res[0])) top1++;
          if (res.some((d) => q.expected.has(d))) top5ok++;
        }
        const secs = Number(process.hrtime.bigint() - t0) / 1e9;
        console.log(JSON.stringify({
          tokenize, encoder: enc, options: opt, suggest,
          top1: +(top1 / queries.length).toFixed(4), top5: +(top5ok / queries.length).toFixed(4),
          qps_one_pass: Math.round(queries.length / secs),
        }));
      }
    }
  }
}
