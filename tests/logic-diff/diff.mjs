// SPDX-License-Identifier: MIT
// Differential test: random JSON Logic rules and data, answered by json-logic-js
// (the reference) and by `homeward logic`; every answer must be the same.
// Usage: node diff.mjs HOMEWARD [CASES] [SEED]
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { seeded } from "./rng.mjs";

const require = createRequire(import.meta.url);
const jsonLogic = require("json-logic-js");

const homeward = process.argv[2];
const cases = Number(process.argv[3] || 20000);
const seed = Number(process.argv[4] || 1) >>> 0;

const rand = seeded(seed);
// A copy, never a shared instance: JavaScript compares objects by reference, and homeward
// receives the rule as JSON text, where every {} is a new object.
const pick = (xs) => structuredClone(xs[Math.floor(rand() * xs.length)]);

const scalars = [0, 1, -1, 2, 3, 10, 0.5, -2.25, 1e21, 123456789, "", "0", "1", "10", "2",
  "abc", "a", " 3 ", "3 apples", "0x1f", "0b11", "-0x1", "1e3", "true", "null", true, false, null, [], [1], [1, 2],
  ["a", "b"], [0], [[]], {}];
const keys = ["a", "b", "c", "n", "s", "list", "obj.x", "obj.y", "list.0", "list.1", "nope", ""];

function data() {
  return {
    a: pick(scalars), b: pick(scalars), c: pick(scalars), n: Math.floor(rand() * 20) - 5,
    s: pick(["hello", "", "42", "x,y", "déjà vu"]),
    list: Array.from({ length: Math.floor(rand() * 4) }, () => pick(scalars)),
    obj: { x: pick(scalars), y: pick(scalars) },
  };
}

const ops = {
  "==": 2, "===": 2, "!=": 2, "!==": 2, ">": 2, ">=": 2, "<": [2, 3], "<=": [2, 3],
  "!": 1, "!!": 1, "and": [0, 1, 2, 3], "or": [0, 1, 2, 3], "if": [1, 2, 3, 4, 5], "?:": 3,
  "+": [0, 1, 2, 3], "-": [0, 1, 2], "*": [1, 2, 3], "/": 2, "%": 2, "min": [0, 1, 2, 3],
  "max": [0, 1, 2, 3], "cat": [0, 1, 2, 3], "substr": [1, 2, 3], "in": 2, "merge": [0, 1, 2, 3],
  "missing": [1, 2], "missing_some": 2, "var": [1, 2],
};
const arrayOps = ["map", "filter", "all", "none", "some", "reduce"];

function rule(depth) {
  const r = rand();
  if (depth <= 0 || r < 0.25) return pick(scalars);
  if (r < 0.45) return { var: rand() < 0.7 ? pick(keys) : [pick(keys), pick(scalars)] };
  if (r < 0.55) {
    const op = pick(arrayOps);
    const list = rand() < 0.5 ? { var: "list" } : pick([[1, 2, 3], [], ["a", 0, null], { var: "a" }]);
    const body = rand() < 0.5 ? { var: op === "reduce" ? pick(["current", "accumulator"]) : "" }
      : rule(depth - 2);
    return op === "reduce" ? { reduce: [list, body, pick(scalars)] } : { [op]: [list, body] };
  }
  const op = pick(Object.keys(ops));
  const n = Array.isArray(ops[op]) ? pick(ops[op]) : ops[op];
  if (op === "missing_some") return { missing_some: [Math.floor(rand() * 3), [pick(keys), pick(keys)]] };
  return { [op]: Array.from({ length: n }, () => rule(depth - 1)) };
}

// JSON as both sides would print it: NaN and Infinity are null, undefined is null.
const canon = (v) => JSON.stringify(v === undefined ? null : v, (k, x) =>
  typeof x === "number" && !isFinite(x) ? null : x === undefined ? null : x);

const lines = [], expected = [];
for (let i = 0; i < cases; i++) {
  const r = rule(3), d = data();
  let want;
  try {
    want = canon(jsonLogic.apply(r, d));
  } catch (e) {
    continue; // the reference throws (e.g. reduce of nothing): not a comparison
  }
  lines.push(JSON.stringify({ logic: r, data: d }));
  expected.push(want);
}
if (process.env.HW_DIFF_INPUT) (await import("node:fs")).writeFileSync(process.env.HW_DIFF_INPUT, lines.join("\n") + "\n");
const run = spawnSync(homeward, ["logic"], { input: lines.join("\n") + "\n", maxBuffer: 1 << 30 });
if (run.status !== 0) {
  console.log(`homeward logic exited ${run.status}: ${run.stderr}`);
  process.exit(1);
}
const got = run.stdout.toString().trimEnd().split("\n");
let passed = 0, failed = 0;
for (let i = 0; i < expected.length; i++) {
  const out = JSON.parse(got[i] || "{}");
  const g = "result" in out ? canon(out.result) : "error: " + out.error;
  // Numbers are compared as numbers: 1 and 1.0 print differently but are equal.
  if (g === expected[i] || JSON.stringify(JSON.parse(g)) === JSON.stringify(JSON.parse(expected[i]))) {
    passed++;
  } else {
    if (failed < 15) console.log(`# mismatch: ${lines[i]}\n#   reference ${expected[i]}\n#   homeward  ${g}`);
    failed++;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
