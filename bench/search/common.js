// bench/search/common.js — what the JavaScript side of bench/search shares:
// reading the names and queries run.sh writes, and scoring one answer the
// same way for every engine (best 20 names -> drugs, first 5 distinct kept).
"use strict";
const fs = require("fs");

function loadNames(namesPath) {
  return fs.readFileSync(namesPath, "utf8").split("\n").filter(Boolean).map((line, id) => {
    const [drug, , name] = line.split("\t");
    return { id, drug: Number(drug), name };
  });
}

function loadQueries(queriesPath) {
  return fs.readFileSync(queriesPath, "utf8").split("\n").filter(Boolean).map((line) => {
    const [q, expected, cat] = line.split("\t");
    return { q, expected: new Set(expected.split(",").map(Number)), cat };
  });
}

function top5(drugs) {
  const out = [];
  for (const d of drugs) {
    if (!out.includes(d)) out.push(d);
    if (out.length === 5) break;
  }
  return out;
}

module.exports = { loadNames, loadQueries, top5 };
