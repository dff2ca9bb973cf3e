// SPDX-License-Identifier: MIT
// The benchmark's records: one person and one conviction each, over the fields of
// docs/vocabulary.md, from a seeded generator, so every run and every engine sees the
// same data.  Writes JSON Lines.
// Usage: node records.mjs OUT.jsonl [COUNT] [SEED]
import { createWriteStream } from "node:fs";
import { seeded } from "../../tests/logic-diff/rng.mjs";

const out = process.argv[2];
const count = Number(process.argv[3] || 1000000);
const seed = Number(process.argv[4] || 1) >>> 0;

const rand = seeded(seed);
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;
// [[value, weight], ...]
function weighted(table) {
  let r = rand() * table.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of table) if ((r -= w) < 0) return v;
  return table[table.length - 1][0];
}
const DAY = 86400000;
const date = (from, to) => {
  const a = Date.UTC(from, 0, 1) / DAY, b = Date.UTC(to, 11, 31) / DAY;
  return new Date(int(a, b) * DAY).toISOString().slice(0, 10);
};
const addDays = (d, n) => new Date(Date.parse(d) + n * DAY).toISOString().slice(0, 10);

const states = ["PA", "CA", "NY", "TX", "IL", "OH", "GA", "MI", "DC", "NJ"];
const statuses = ["us_citizen", "lpr", "lawfully_present", "not_lawfully_present", "unknown"];
const drugTypes = [["marijuana", 45], ["cocaine", 12], ["cocaine_base", 6], ["heroin", 8],
  ["fentanyl", 8], ["methamphetamine", 10], ["other_opioid", 6], ["other", 5]];
const conducts = [["simple_possession", 35], ["attempted_simple_possession", 5], ["use", 10],
  ["possession_with_intent", 15], ["distribution", 12], ["manufacture", 3], ["cultivation", 5],
  ["conspiracy", 6], ["trafficking", 5], ["dui", 2], ["possession_in_prison", 1], ["other", 1]];

function person(id) {
  const status = weighted([["us_citizen", 82], ["lpr", 7], ["lawfully_present", 4],
    ["not_lawfully_present", 4], ["unknown", 3]]);
  const changed = status !== "us_citizen" && chance(0.3);
  return {
    id,
    organisation_id: 1 + (id % 7),
    external_id: "SID" + String(int(0, 99999999)).padStart(8, "0"),
    dob: date(1950, 2006),
    sex: weighted([["male", 70], ["female", 27], ["nonbinary", 1], ["unknown", 2]]),
    parent_of_minor: chance(0.4),
    household_size: int(1, 8),
    monthly_income_cents: int(0, 900000),
    public_benefits: chance(0.6) ? [] : [pick(["snap", "medicaid", "ssi", "tanf"])],
    citizenship_status: status,
    citizenship_since: changed ? date(1990, 2024) : null,
    prior_citizenship_status: changed ? pick(statuses) : null,
    removal_order: status === "not_lawfully_present" && chance(0.5),
    state: pick(states),
    contact_consent: chance(0.7),
    preferred_contact: pick(["sms", "phone", "email", "mail", "none"]),
  };
}

function conviction(id, personId) {
  const drug = chance(0.55);
  const offense = date(1985, 2026);
  const klass = weighted([["felony", 40], ["misdemeanor", 45], ["summary", 10], ["infraction", 5]]);
  return {
    id,
    person_id: personId,
    jurisdiction: chance(0.3) ? "federal" : pick(states),
    court_type: weighted([["federal_district", 30], ["state", 60], ["municipal", 8], ["dc_superior", 2]]),
    court: chance(0.5) ? "Court of Common Pleas" : null,
    case_number: "CR-" + offense.slice(0, 4) + "-" + String(int(0, 999999)).padStart(6, "0"),
    statute: drug ? pick(["21 USC 844(a)", "21 USC 841(a)(1)", "35 PS 780-113(a)(16)"])
      : pick(["18 PA 3502", "18 USC 922(g)", "18 PA 2701", "75 PA 3802"]),
    offense_class: klass,
    offense_degree: klass === "felony" ? pick(["F1", "F2", "F3"]) : chance(0.5) ? pick(["M1", "M2", "M3"]) : null,
    offense_date: offense,
    disposition: weighted([["guilty_plea", 80], ["guilty_verdict", 10], ["no_contest", 6],
      ["deferred_adjudication", 4]]),
    disposition_date: addDays(offense, int(30, 700)),
    violent: !drug && chance(0.25),
    sex_offense: !drug && chance(0.05),
    drug,
    drug_type: drug ? weighted(drugTypes) : null,
    drug_conduct: drug ? weighted(conducts) : null,
    drug_quantity_mg: drug ? int(100, 5000000) : null,
    plants: drug && chance(0.05) ? int(1, 200) : null,
    role_enhancement: drug && chance(0.05),
    death_or_injury: chance(0.01),
  };
}

const w = createWriteStream(out);
let buf = "";
for (let i = 1; i <= count; i++) {
  const p = person(i);
  buf += JSON.stringify({ person: p, conviction: conviction(i, p.id) }) + "\n";
  if (buf.length > 1 << 20) {
    if (!w.write(buf)) await new Promise((r) => w.once("drain", r));
    buf = "";
  }
}
w.end(buf);
await new Promise((r) => w.on("finish", r));
