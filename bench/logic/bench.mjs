// SPDX-License-Identifier: MIT
// The Node half of bench/logic.sh: time json-logic-js (the reference, jsonLogic.apply) and
// json-logic-engine (compiled: engine.build(rule)) over the same records and rules as
// bench_logic, then print every engine side by side with homeward's figures.  Exits 1 when
// two engines count a different number of records for which a rule is true.
// Usage: node bench.mjs RULES.json RECORDS.jsonl PASSES HOMEWARD.tsv
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { LogicEngine } from "json-logic-engine";

const require = createRequire(import.meta.url);
const jsonLogic = require("json-logic-js");
// The versions that ran, as npm ci installed them from package-lock.json.
const installed = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`,
  import.meta.url), "utf8")).version;
const engineVersion = installed("json-logic-engine"), jsVersion = installed("json-logic-js");

const [rulesPath, recordsPath, passesArg, homewardPath] = process.argv.slice(2);
const passes = Number(passesArg || 5);
const rules = JSON.parse(readFileSync(rulesPath, "utf8"));

// Every record in memory before any timing, parsed line by line from one buffer.
function load(path) {
  const buf = readFileSync(path), out = [];
  for (let at = 0; at < buf.length;) {
    let end = buf.indexOf(10, at);
    if (end < 0) end = buf.length;
    if (end > at) out.push(JSON.parse(buf.toString("utf8", at, end)));
    at = end + 1;
  }
  return out;
}

// A pass evaluates every record, in rounds over them when there are fewer than a million, as
// bench_logic does, so that a pass over records that fit in the cache takes long enough to time.
const PASS_EVALS = 1000000;
const roundsFor = (n) => (n < PASS_EVALS ? Math.ceil(PASS_EVALS / n) : 1);

// A warm-up pass, then `passes` timed ones: the median and the best, in seconds.
function time(name, records, f) {
  const rounds = roundsFor(records.length);
  const count = () => {
    let n = 0;
    for (let r = 0; r < rounds; r++)
      for (let i = 0; i < records.length; i++) if (jsonLogic.truthy(f(records[i]))) n++;
    return n / rounds;
  };
  const first = count(), t = [];
  for (let p = 0; p < passes; p++) {
    const t0 = process.hrtime.bigint();
    const n = count();
    t.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (n !== first) throw new Error(`${name}: ${first} true, then ${n}`);
  }
  t.sort((a, b) => a - b);
  return { truths: first, evals: rounds * records.length, median: t[Math.floor(passes / 2)],
    best: t[0] };
}

const records = load(recordsPath);
const n = records.length;
const rows = new Map(); // rule name -> [{engine, truths, evals, median, best}]
for (const line of readFileSync(homewardPath, "utf8").split("\n")) {
  const [rule, engine, threads, truths, evals, median, best] = line.split("\t");
  if (!best) continue;
  if (!rows.has(rule)) rows.set(rule, []);
  rows.get(rule).push({ engine: `${engine}, ${threads} core${threads === "1" ? "" : "s"}`,
    truths: Number(truths), evals: Number(evals), median: Number(median), best: Number(best) });
}

const engine = new LogicEngine();
for (const { name, rule } of rules) {
  const compiled = engine.build(rule);
  if (!rows.has(name)) rows.set(name, []);
  rows.get(name).push({ engine: `json-logic-engine ${engineVersion}, compiled`,
    ...time(name, records, compiled) });
  rows.get(name).push({ engine: `json-logic-js ${jsVersion}, apply`,
    ...time(name, records, (d) => jsonLogic.apply(rule, d)) });
}

const rate = (r) => r.evals / r.median;
const fmt = (x) => (x / 1e6).toFixed(2).padStart(8);
let status = 0;
console.log(`${n} records in memory, ${passes} timed passes after one warm-up` +
  (roundsFor(n) > 1 ? `, each ${roundsFor(n)} rounds over the records` : "") +
  `; node ${process.version}`);
for (const [name, list] of rows) {
  const ref = list.find((r) => r.engine.startsWith("json-logic-js"));
  const eng = list.find((r) => r.engine.startsWith("json-logic-engine"));
  console.log(`\nrule ${name}`);
  console.log(`  ${"engine".padEnd(34)} ${"true".padStart(8)} ${"M evals/s".padStart(10)}` +
    ` ${"(best)".padStart(8)} ${"x engine".padStart(9)} ${"x js".padStart(8)}`);
  for (const r of list) {
    console.log(`  ${r.engine.padEnd(34)} ${String(r.truths).padStart(8)}   ${fmt(rate(r))}` +
      ` ${fmt(r.evals / r.best)} ${(rate(r) / rate(eng)).toFixed(2).padStart(9)}` +
      ` ${(rate(r) / rate(ref)).toFixed(2).padStart(8)}`);
    if (r.truths !== ref.truths) {
      console.log(`  MISMATCH: ${r.engine} counts ${r.truths}, json-logic-js ${ref.truths}`);
      status = 1;
    }
  }
}
console.log("\nM evals/s: millions of evaluations per second, from the median pass;" +
  " x engine, x js: that rate over json-logic-engine's and json-logic-js's");
process.exit(status);
