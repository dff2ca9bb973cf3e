// SPDX-License-Identifier: MIT
// One person: header, relief determinations, balances, contact details
// (editable), appointments and the timeline of their record.

import {get, patch, post, itemsOf, describe} from './api.js';
import {h, replace, field, setFieldError, icon, srOnly, tableBox, uid} from './dom.js';
import {money, date, wallTime, age, words, capital, fullName, plural, num, statusLabel,
  localOffset, citationsOf} from './format.js';

const STATUS_ORDER = {eligible: 0, eligible_on: 1, needs_review: 2, ineligible: 3};

const TYPES = [
  ['conviction', 'Convictions'],
  ['sentence', 'Sentences'],
  ['supervision', 'Supervision'],
  ['appointment', 'Appointments'],
  ['payment', 'Payments and ledger'],
  ['obligation', 'Fines and fees'],
  ['violation', 'Violations'],
  ['custody', 'Custody'],
];

const TYPE_LABEL = {conviction: 'Conviction', sentence: 'Sentence', supervision: 'Supervision',
  appointment: 'Appointment', payment: 'Ledger', obligation: 'Obligation', violation: 'Violation',
  custody: 'Custody'};

const ACRONYMS = new Set(['ssi', 'ssdi', 'tanf', 'snap', 'wic', 'aabd']);

/** A set field, whether sent as "a;b" or as an array. */
function setOf(v) {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined || v === '') return [];
  return String(v).split(';');
}

// Which timeline types are shown is remembered while signed in (not personal).
const shown = new Set(TYPES.map(([t]) => t));

function recordsOf(p) {
  const r = p.records || {};
  const pick = (...keys) => {
    for (const k of keys) {
      if (Array.isArray(r[k])) return r[k];
      if (Array.isArray(p[k])) return p[k];
    }
    return [];
  };
  return {
    convictions: pick('convictions'),
    sentences: pick('sentences'),
    supervision: pick('supervision'),
    obligations: pick('obligations'),
    ledger: pick('ledger'),
    appointments: pick('appointments'),
    violations: pick('violations'),
    custody: pick('custody-events', 'custody_events'),
  };
}

function balanceOf(balances, obligationId) {
  if (!balances) return null;
  const src = balances.obligations && typeof balances.obligations === 'object' ? balances.obligations : balances;
  if (Array.isArray(src)) {
    const hit = src.find((b) => Number(b.obligation_id) === Number(obligationId));
    return hit ? Number(hit.balance_cents ?? hit.cents ?? 0) : null;
  }
  const v = src[String(obligationId)];
  return v === undefined ? null : Number(v);
}

function todayIso() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Every record as a dated event of one of TYPES. */
function timelineEvents(rec) {
  const obligations = new Map(rec.obligations.map((o) => [Number(o.id), o]));
  const ev = [];
  for (const c of rec.convictions) {
    ev.push({type: 'conviction', when: c.disposition_date || c.offense_date, dateOnly: true,
      title: c.description || c.statute,
      detail: [c.statute, [capital(words(c.offense_class)), c.offense_degree].filter(Boolean).join(' '),
        words(c.disposition), c.court, c.case_number ? `case ${c.case_number}` : null,
        c.offense_date ? `offense ${date(c.offense_date)}` : null,
        c.violent ? 'violent' : null, c.drug ? `drug${c.drug_type ? `: ${words(c.drug_type)}` : ''}` : null],
      badge: null});
  }
  for (const s of rec.sentences) {
    const term = s.life ? 'life' : (s.term_months !== null && s.term_months !== undefined ? plural(s.term_months, 'month') : null);
    ev.push({type: 'sentence', when: s.imposed_date, dateOnly: true,
      title: `Sentenced: ${words(s.sentence_type)}${term ? `, ${term}` : ''}`,
      detail: [s.facility, s.credits_days ? `${num(s.credits_days)} days of credit` : null,
        s.risk_level ? `${words(s.risk_level)} risk` : null,
        s.projected_release_date ? `projected release ${date(s.projected_release_date)}` : null,
        s.release_date ? `released ${date(s.release_date)}` : null]});
  }
  for (const t of rec.supervision) {
    ev.push({type: 'supervision', when: t.start_date, dateOnly: true,
      title: `${capital(words(t.supervision_type))} began`,
      detail: [t.officer ? `officer ${t.officer}` : null, t.level ? `${words(t.level)} level` : null,
        t.status ? `now ${words(t.status)}` : null,
        t.scheduled_end_date ? `scheduled to end ${date(t.scheduled_end_date)}` : null,
        setOf(t.conditions).length ? `conditions: ${setOf(t.conditions).map(words).join(', ')}` : null]});
    if (t.end_date) {
      ev.push({type: 'supervision', when: t.end_date, dateOnly: true,
        title: `${capital(words(t.supervision_type))} ended: ${words(t.status)}`, detail: []});
    }
  }
  for (const o of rec.obligations) {
    ev.push({type: 'obligation', when: o.imposed_date, dateOnly: true,
      title: `${capital(words(o.kind))} imposed${o.description ? `: ${o.description}` : ''}`,
      detail: [o.payee ? `payee ${o.payee}` : null]});
  }
  for (const l of rec.ledger) {
    const o = obligations.get(Number(l.obligation_id));
    const signed = l.kind === 'payment' || l.kind === 'waiver' ? -Math.abs(l.amount_cents) : l.amount_cents;
    ev.push({type: 'payment', when: l.entry_date, dateOnly: true,
      title: `${capital(words(l.kind))} ${money(Math.abs(l.amount_cents))}`,
      detail: [o ? `${words(o.kind)}${o.description ? `: ${o.description}` : ''}` : `obligation ${l.obligation_id}`,
        signed < 0 ? 'reduces the balance' : 'adds to the balance',
        l.reference ? `ref. ${l.reference}` : null, l.memo],
      badge: l.kind === 'payment' ? ['paid', 'Payment'] : null});
  }
  for (const a of rec.appointments) {
    ev.push({type: 'appointment', when: a.starts_at, dateOnly: false,
      title: capital(words(a.kind === 'probation_checkin' ? 'check-in' : a.kind)),
      detail: [a.location],
      badge: [a.status, capital(words(a.status))]});
  }
  for (const v of rec.violations) {
    ev.push({type: 'violation', when: v.violation_date, dateOnly: true,
      title: `Violation: ${words(v.category || v.violation_type)}`,
      detail: [v.violation_type === 'new_offense' ? 'new offense' : 'technical', v.description,
        v.outcome ? `outcome: ${words(v.outcome)}${v.outcome_date ? ` on ${date(v.outcome_date)}` : ''}` : null],
      badge: ['violation', 'Violation']});
  }
  for (const c of rec.custody) {
    ev.push({type: 'custody', when: c.event_date, dateOnly: true,
      title: `${capital(words(c.event))}${c.reason ? `: ${words(c.reason)}` : ''}`,
      detail: [c.facility]});
  }
  const key = (e) => String(e.when || '').slice(0, 16);
  ev.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
  return ev;
}

function describeSubject(d, rec) {
  const id = Number(d.subject_id);
  switch (d.subject_kind) {
    case 'conviction': {
      const c = rec.convictions.find((x) => Number(x.id) === id);
      return c ? `Conviction: ${c.description || c.statute} (${c.statute}${c.disposition_date ? `, ${date(c.disposition_date)}` : ''})` : `Conviction ${id}`;
    }
    case 'sentence': {
      const s = rec.sentences.find((x) => Number(x.id) === id);
      return s ? `Sentence: ${words(s.sentence_type)}, imposed ${date(s.imposed_date)}` : `Sentence ${id}`;
    }
    case 'supervision': {
      const t = rec.supervision.find((x) => Number(x.id) === id);
      return t ? `${capital(words(t.supervision_type))} from ${date(t.start_date)}` : `Supervision term ${id}`;
    }
    case 'obligation': {
      const o = rec.obligations.find((x) => Number(x.id) === id);
      return o ? `${capital(words(o.kind))}${o.description ? `: ${o.description}` : ''}` : `Obligation ${id}`;
    }
    case 'person':
      return 'The person';
    default:
      return d.subject_kind ? `${capital(words(d.subject_kind))} ${id || ''}`.trim() : '';
  }
}

function reasonText(r) {
  if (typeof r === 'string') return r;
  return r.text || r.reason || r.question || r.clause || '';
}

function leftText(l) {
  if (typeof l === 'string') return l;
  return l.text || '';
}

const PARTS = [
  ['scope', 'Applies to'],
  ['condition', 'Conditions'],
  ['exclusion', 'Exclusions: one that holds bars the relief'],
  ['waiting', 'Waiting periods'],
  ['review', 'Questions for a person'],
];

function reasonItem(r) {
  return h('li', {class: r.holds ? 'holds' : 'fails'},
    icon(r.holds ? 'check' : 'cross'),
    srOnly(r.holds ? 'Holds: ' : 'Does not hold: '),
    h('span', null, reasonText(r), r.date ? h('span', {class: 'muted'}, ` (${date(r.date)})`) : null));
}

function reasonList(reasons) {
  if (!reasons.some((r) => r && r.part)) return h('ul', {class: 'reason-list'}, reasons.map(reasonItem));
  const known = new Set(PARTS.map(([p]) => p));
  const groups = [...PARTS, ['', 'Other']].map(([part, label]) => {
    const rs = reasons.filter((r) => (part ? r.part === part : !known.has(r.part)));
    return rs.length ? [h('h4', {class: 'reason-part'}, label), h('ul', {class: 'reason-list'}, rs.map(reasonItem))] : null;
  });
  return h('div', null, groups);
}

function citationBlock(d) {
  const cites = citationsOf(d);
  if (!cites.length) return null;
  const first = cites[0];
  return h('div', {class: 'citation'},
    first.url ? h('a', {href: first.url, rel: 'noopener noreferrer', target: '_blank'}, first.cite,
      srOnly(' (opens in a new tab)')) : first.cite,
    cites.length > 1 ? h('details', {class: 'more-cites'}, h('summary', null, `${cites.length - 1} more ${cites.length === 2 ? 'source' : 'sources'}`),
      h('ul', null, cites.slice(1).map((c) => h('li', null,
        c.url ? h('a', {href: c.url, rel: 'noopener noreferrer', target: '_blank'}, c.cite, srOnly(' (opens in a new tab)')) : c.cite,
        c.note ? h('span', {class: 'muted'}, ` — ${c.note}`) : null)))) : null);
}

function determinationCard(d, rec) {
  const reasons = Array.isArray(d.reasons) ? d.reasons.filter(Boolean) : [];
  const left = Array.isArray(d.left) ? d.left : [];
  const holding = reasons.filter((r) => r.holds).length;
  const status = d.status || 'needs_review';
  const hid = `det-${d.rule}-${d.subject_kind}-${d.subject_id}`;
  return h('article', {class: `det det-${status}`, 'aria-labelledby': hid},
    h('div', {class: 'det-head'},
      h('h3', {id: hid}, d.title || d.rule),
      h('span', {class: `badge badge-${status}`}, statusLabel(status))),
    citationBlock(d),
    h('p', {class: 'subject'}, describeSubject(d, rec)),
    status === 'eligible_on' && d.eligible_on
      ? h('p', {class: 'eligible-on'}, icon('clock'), ` Eligible on ${date(d.eligible_on)}`) : null,
    left.length
      ? h('div', {class: 'left'}, h('h4', null, 'What is left'),
        h('ul', null, left.map((l) => h('li', null, leftText(l)))))
      : null,
    reasons.length
      ? h('details', {class: 'reasons'},
        h('summary', null, `Reasons: ${num(holding)} of ${num(reasons.length)} hold`),
        reasonList(reasons))
      : null,
    d.stale ? h('p', {class: 'notice small'}, 'The rule has changed since this was screened; screen again for its current words.') : null,
    d.as_of ? h('p', {class: 'muted small'}, `Screened as of ${date(d.as_of)}`) : null);
}

export function render(main, params, ctx) {
  const id = Number(params[0]);
  ctx.setTitle(`Person ${id}`);
  const controller = new AbortController();
  const heading = h('h1', null, 'Person');
  replace(main,
    h('p', {class: 'back'}, h('a', {href: '#/caseload'}, icon('back'), 'Caseload')),
    heading,
    h('p', {class: 'loading', role: 'status'}, 'Loading the record…'));

  (async () => {
    let person;
    try {
      person = await get(`/people/${id}`, {signal: controller.signal});
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(main,
        h('p', {class: 'back'}, h('a', {href: '#/caseload'}, icon('back'), 'Caseload')),
        h('h1', {tabindex: '-1'}, e.status === 404 ? 'No such person' : 'The record could not be loaded'),
        h('div', {class: 'alert alert-error', role: 'alert'},
          h('p', null, e.status === 404 ? 'There is no person with this id on your organisation\'s caseload.' : describe(e))));
      main.querySelector('h1').focus();
      return;
    }
    let determinations = Array.isArray(person.determinations) ? person.determinations : null;
    if (!determinations) {
      try {
        determinations = itemsOf(await get(`/people/${id}/determinations`, {signal: controller.signal}));
      } catch (e) {
        if (e.name === 'AbortError') return;
        determinations = [];
      }
    }
    const hadFocus = document.activeElement === heading;
    build(main, person, determinations, ctx);
    if (hadFocus) main.querySelector('h1').focus();
    ctx.announce(`Record of ${fullName(person)} loaded.`);
  })();

  return () => controller.abort();
}

function build(main, person, determinations, ctx) {
  const rec = recordsOf(person);
  const canEdit = ctx.can('records.write');
  const active = rec.supervision.find((t) => t.status === 'active') || person.supervision || null;
  const orgName = (person.organisation && person.organisation.name) || person.organisation_name
    || (ctx.user && ctx.user.organisation_name) || `Organisation ${person.organisation_id}`;
  const years = age(person.dob);
  const totalOwed = person.balances && person.balances.total_cents !== undefined
    ? person.balances.total_cents : person.balance_cents;
  const sortedDets = [...determinations].sort((a, b) =>
    (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9) || String(a.title || a.rule).localeCompare(String(b.title || b.rule)));
  const counts = {};
  for (const d of determinations) counts[d.status] = (counts[d.status] || 0) + 1;
  const ninety = new Date(Date.now() - 90 * 864e5).toISOString().slice(0, 10);
  const missed = rec.appointments.filter((a) => a.status === 'missed' && String(a.starts_at).slice(0, 10) >= ninety).length;

  const header = h('div', {class: 'person-head'},
    h('h1', {tabindex: '-1'}, fullName(person) || `Person ${person.id}`),
    h('p', {class: 'person-meta'},
      h('span', null, `Born ${date(person.dob)}${years !== null ? ` (age ${years})` : ''}`),
      h('span', null, orgName),
      h('span', null, `Homeward id ${person.id}`),
      person.external_id ? h('span', null, `Agency id ${person.external_id}`) : null));

  const tiles = h('ul', {class: 'tiles', 'aria-label': 'Summary'},
    h('li', {class: 'tile'}, h('span', {class: 'tile-label'}, 'Owes in all'), h('span', {class: 'tile-value'}, money(totalOwed ?? 0))),
    h('li', {class: 'tile'}, h('span', {class: 'tile-label'}, 'Supervision'),
      h('span', {class: 'tile-value tile-text'}, active ? capital(words(active.supervision_type)) : 'None active'),
      active ? h('span', {class: 'tile-sub'}, [active.officer ? `Officer ${active.officer}` : null,
        active.scheduled_end_date ? `ends ${date(active.scheduled_end_date)}` : null].filter(Boolean).join(' · ')) : null),
    h('li', {class: 'tile'}, h('span', {class: 'tile-label'}, 'Eligible for relief'),
      h('span', {class: 'tile-value'}, num((counts.eligible || 0) + (counts.eligible_on || 0))),
      h('span', {class: 'tile-sub'}, `${num(counts.eligible || 0)} now, ${num(counts.eligible_on || 0)} on a date`)),
    h('li', {class: 'tile'}, h('span', {class: 'tile-label'}, 'Missed check-ins, 90 days'),
      h('span', {class: `tile-value${missed ? ' warn' : ''}`}, num(missed))));

  // Relief
  const detSummary = ['eligible', 'eligible_on', 'needs_review', 'ineligible']
    .filter((s) => counts[s]).map((s) => `${num(counts[s])} ${statusLabel(s).toLowerCase()}`).join(', ');
  const relief = h('section', {class: 'panel', 'aria-labelledby': 'relief-h'},
    h('h2', {id: 'relief-h'}, 'Relief'),
    determinations.length
      ? [h('p', {class: 'muted'}, `${plural(determinations.length, 'determination')}: ${detSummary}.`),
        h('div', {class: 'dets'}, sortedDets.map((d) => determinationCard(d, rec)))]
      : h('p', null, 'No rule applies to this record, or it has not been screened yet.'));

  // Balances
  const obligations = rec.obligations;
  const balances = h('section', {class: 'panel', 'aria-labelledby': 'bal-h'},
    h('h2', {id: 'bal-h'}, 'Balances'),
    obligations.length
      ? tableBox('Balances per obligation', h('table', {class: 'data'},
        h('caption', {class: 'visually-hidden'}, 'Balance of each fine, fee, cost and restitution'),
        h('thead', null, h('tr', null,
          h('th', {scope: 'col'}, 'Obligation'), h('th', {scope: 'col', class: 'num'}, 'Balance'))),
        h('tbody', null, obligations.map((o) => {
          const b = balanceOf(person.balances, o.id);
          return h('tr', null,
            h('th', {scope: 'row'}, capital(words(o.kind)),
              o.description && o.description.toLowerCase() !== String(o.kind).toLowerCase()
                ? h('span', {class: 'sub'}, o.description) : null,
              h('span', {class: 'sub'}, [o.payee, `imposed ${date(o.imposed_date)}`].filter(Boolean).join(' · '))),
            h('td', {class: 'num'}, b === null ? '—' : b === 0 ? h('span', {class: 'muted'}, 'Paid') : money(b)));
        })),
        h('tfoot', null, h('tr', null, h('th', {scope: 'row'}, 'Owes in all'),
          h('td', {class: 'num strong'}, money(totalOwed ?? 0))))))
      : h('p', null, 'No fines, fees, costs or restitution on record.'));

  const contact = contactSection(person, canEdit, ctx);
  const timeline = timelineSection(rec);
  const appt = canEdit ? appointmentSection(person, rec, ctx, () => timeline.refresh()) : null;

  const jumps = [['relief-h', 'Relief'], ['bal-h', 'Balances'], ['contact-h', 'Contact'],
    canEdit ? ['appt-h', 'Add an appointment'] : null, ['tl-h', 'Timeline']].filter(Boolean);
  const jumpNav = h('nav', {class: 'jumps', 'aria-label': 'On this page'},
    h('ul', null, jumps.map(([id, text]) => h('li', null, h('button', {type: 'button', class: 'link',
      onclick: () => {
        const target = document.getElementById(id);
        if (!target) return;
        target.setAttribute('tabindex', '-1');
        target.focus({preventScroll: true});
        target.scrollIntoView({block: 'start'});
      }}, text)))));

  replace(main,
    h('p', {class: 'back'}, h('a', {href: '#/caseload'}, icon('back'), 'Caseload')),
    header, tiles, jumpNav,
    h('div', {class: 'person-grid'},
      h('div', {class: 'col-main'}, relief, timeline.el),
      h('div', {class: 'col-side'}, balances, contact, appt, detailsSection(person))));
}

function detailsSection(p) {
  const items = [
    ['Sex', capital(words(p.sex))],
    ['Household', p.household_size ? plural(p.household_size, 'person', 'people') : '—'],
    ['Parent of a minor', p.parent_of_minor === true ? 'Yes' : p.parent_of_minor === false ? 'No' : '—'],
    ['Monthly income', p.monthly_income_cents !== undefined && p.monthly_income_cents !== null ? money(p.monthly_income_cents) : '—'],
    ['Public benefits', setOf(p.public_benefits).length ? setOf(p.public_benefits).map((b) => (ACRONYMS.has(b) ? b.toUpperCase() : words(b))).join(', ') : '—'],
    ['Citizenship', capital(words(p.citizenship_status))],
    ['Preferred contact', capital(words(p.preferred_contact))],
    ['Agreed to reminders', p.contact_consent === true ? 'Yes' : p.contact_consent === false ? 'No' : '—'],
  ];
  return h('section', {class: 'panel', 'aria-labelledby': 'details-h'},
    h('h2', {id: 'details-h'}, 'Household and status'),
    h('dl', {class: 'pairs'}, items.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])));
}

const CONTACT_FIELDS = [
  ['phone', 'Phone', 'tel', 'With area code, such as 215-555-0100', {autocomplete: 'off', inputmode: 'tel'}],
  ['email', 'Email', 'email', null, {autocomplete: 'off', spellcheck: 'false'}],
  ['address', 'Street address', 'text', null, {autocomplete: 'off'}],
  ['city', 'City', 'text', null, {autocomplete: 'off'}],
  ['postal_code', 'ZIP code', 'text', null, {autocomplete: 'off', inputmode: 'numeric'}],
];

function contactSection(person, canEdit, ctx) {
  const section = h('section', {class: 'panel', 'aria-labelledby': 'contact-h'});
  const status = h('p', {class: 'saved', role: 'status'});
  let editBtn;

  function view() {
    const lines = h('dl', {class: 'pairs'},
      h('dt', null, 'Phone'), h('dd', null, person.phone || '—'),
      h('dt', null, 'Email'), h('dd', null, person.email || '—'),
      h('dt', null, 'Address'), h('dd', null,
        [person.address, [person.city, person.state].filter(Boolean).join(', '), person.postal_code]
          .filter(Boolean).join(', ') || '—'));
    editBtn = canEdit ? h('button', {type: 'button', class: 'btn', onclick: edit}, 'Edit contact details') : null;
    replace(section, h('h2', {id: 'contact-h'}, 'Contact'), lines, status, editBtn);
  }

  function edit() {
    const fields = {};
    for (const [name, label, type, hint, attrs] of CONTACT_FIELDS) {
      fields[name] = field({label, name, type, hint, value: person[name] ?? '', attrs});
    }
    const alert = h('div', {class: 'alert', role: 'alert'});
    const save = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Save');
    const cancel = h('button', {type: 'button', class: 'btn', onclick: () => { view(); editBtn.focus(); }}, 'Cancel');
    const form = h('form', {class: 'stack', novalidate: true, 'aria-labelledby': 'contact-h'},
      Object.values(fields).map((f) => f.wrap), alert, h('div', {class: 'actions'}, save, cancel));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      replace(alert);
      for (const f of Object.values(fields)) setFieldError(f, null);
      const body = {};
      for (const [name] of CONTACT_FIELDS) {
        const v = fields[name].input.value.trim();
        const old = person[name] ?? '';
        if (v !== String(old)) body[name] = v === '' ? null : v;
      }
      if (!Object.keys(body).length) {
        view();
        status.textContent = 'Nothing changed.';
        editBtn.focus();
        return;
      }
      save.disabled = true;
      try {
        const updated = await patch(`/people/${person.id}`, body);
        if (updated && typeof updated === 'object' && updated.id) {
          for (const [name] of CONTACT_FIELDS) person[name] = updated[name] ?? null;
        } else {
          Object.assign(person, body);
        }
        view();
        status.textContent = 'Contact details saved.';
        editBtn.focus();
      } catch (e) {
        save.disabled = false;
        if (e.status === 422 && e.field && fields[e.field]) {
          setFieldError(fields[e.field], e.message);
          fields[e.field].input.focus();
        } else {
          replace(alert, h('p', null, `Not saved. ${describe(e)}`));
          alert.classList.add('alert-error');
        }
      }
    });
    replace(section, h('h2', {id: 'contact-h'}, 'Edit contact details'), form);
    fields.phone.input.focus();
  }

  view();
  return section;
}

const APPT_KINDS = [['probation_checkin', 'Check-in with the officer'], ['court', 'Court date'],
  ['programme', 'Programme'], ['job_interview', 'Job interview'], ['drug_test', 'Drug test']];

function appointmentSection(person, rec, ctx, onAdded) {
  const kind = field({label: 'What', name: 'kind', options: APPT_KINDS, value: 'probation_checkin'});
  const when = field({label: 'Date and time', name: 'starts_at', type: 'datetime-local',
    hint: `Your local time (UTC${localOffset()}).`, attrs: {required: true}});
  const location = field({label: 'Where', name: 'location', attrs: {autocomplete: 'off', maxlength: '200'}});
  const terms = rec.supervision.filter((t) => ['active', 'tolled'].includes(t.status));
  const supervision = field({label: 'Supervision term', name: 'supervision_id',
    value: terms[0] ? String(terms[0].id) : '',
    options: [['', 'None'], ...rec.supervision.map((t) => [String(t.id),
      `${capital(words(t.supervision_type))} from ${date(t.start_date)} (${words(t.status)})`])]});
  const status = field({label: 'Status', name: 'status', value: 'scheduled',
    options: [['scheduled', 'Scheduled'], ['attended', 'Attended'], ['missed', 'Missed'],
      ['excused', 'Excused'], ['cancelled', 'Cancelled']]});
  const fields = {kind, starts_at: when, location, supervision_id: supervision, status};
  const alert = h('div', {class: 'alert', role: 'alert'});
  const done = h('p', {class: 'saved', role: 'status'});
  const add = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Add appointment');
  const form = h('form', {class: 'stack', novalidate: true, 'aria-labelledby': 'appt-h'},
    kind.wrap, when.wrap, location.wrap, supervision.wrap, status.wrap, alert, add, done);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(alert);
    alert.classList.remove('alert-error');
    done.textContent = '';
    for (const f of Object.values(fields)) setFieldError(f, null);
    const v = when.input.value;
    if (!v) {
      setFieldError(when, 'Enter the date and time.');
      when.input.focus();
      return;
    }
    const local = v.length === 16 ? `${v}:00` : v;
    const body = {person_id: person.id, kind: kind.input.value,
      starts_at: `${local}${localOffset(new Date(v))}`, status: status.input.value};
    if (location.input.value.trim()) body.location = location.input.value.trim();
    if (supervision.input.value) body.supervision_id = Number(supervision.input.value);
    add.disabled = true;
    try {
      const created = await post('/appointments', body);
      rec.appointments.push(created && created.id ? created : body);
      onAdded();
      when.input.value = '';
      location.input.value = '';
      done.textContent = `Added: ${APPT_KINDS.find(([k]) => k === body.kind)[1]} on ${wallTime(body.starts_at)}.`;
    } catch (e) {
      if (e.status === 422 && e.field && fields[e.field]) {
        setFieldError(fields[e.field], e.message);
        fields[e.field].input.focus();
      } else {
        replace(alert, h('p', null, `Not added. ${describe(e)}`));
        alert.classList.add('alert-error');
      }
    } finally {
      add.disabled = false;
    }
  });
  return h('section', {class: 'panel', 'aria-labelledby': 'appt-h'},
    h('h2', {id: 'appt-h'}, 'Add an appointment'), form);
}

const LIMIT = 60;

function timelineSection(rec) {
  const el = h('section', {class: 'panel', 'aria-labelledby': 'tl-h'});
  const filterId = uid('tl');
  let all = [];
  let showAll = false;
  const list = h('div', {class: 'timeline-lists'});
  const count = h('p', {class: 'muted', role: 'status'});
  const boxes = TYPES.map(([t, label]) => {
    const input = h('input', {type: 'checkbox', id: `${filterId}-${t}`, checked: shown.has(t),
      onchange: () => {
        if (input.checked) shown.add(t);
        else shown.delete(t);
        draw();
      }});
    const lab = h('label', {for: `${filterId}-${t}`}, label, ' ', h('span', {class: 'count', 'data-type': t}));
    return h('div', {class: 'chip'}, input, lab);
  });

  function item(e) {
    const detail = (e.detail || []).filter(Boolean).join(' · ');
    return h('li', {class: `tl tl-${e.type}`},
      h('div', {class: 'tl-when'}, h('time', {datetime: e.when || ''}, e.dateOnly ? date(e.when) : wallTime(e.when))),
      h('div', {class: 'tl-body'},
        h('p', {class: 'tl-title'},
          h('span', {class: `tl-type tl-type-${e.type}`}, TYPE_LABEL[e.type]),
          ' ', e.title,
          e.badge ? [' ', h('span', {class: `badge badge-${e.badge[0]}`}, e.badge[1])] : null),
        detail ? h('p', {class: 'tl-detail'}, detail) : null));
  }

  function draw() {
    const today = todayIso();
    const visible = all.filter((e) => shown.has(e.type));
    const upcoming = visible.filter((e) => String(e.when || '').slice(0, 10) > today).reverse();
    const past = visible.filter((e) => String(e.when || '').slice(0, 10) <= today);
    const pastShown = showAll ? past : past.slice(0, LIMIT);
    for (const [t] of TYPES) {
      const n = all.filter((e) => e.type === t).length;
      const c = el.querySelector(`.count[data-type="${t}"]`);
      if (c) c.textContent = `(${n})`;
    }
    count.textContent = `${plural(visible.length, 'event')} shown of ${num(all.length)}.`;
    const more = past.length > pastShown.length
      ? h('button', {type: 'button', class: 'btn', onclick: () => { showAll = true; draw(); }},
        `Show all ${num(past.length)} past events`)
      : null;
    replace(list,
      upcoming.length ? [h('h3', null, 'Upcoming'), h('ol', {class: 'timeline'}, upcoming.map(item))] : null,
      h('h3', null, 'Past, newest first'),
      past.length ? h('ol', {class: 'timeline'}, pastShown.map(item)) : h('p', null, 'Nothing of these kinds.'),
      more);
  }

  replace(el,
    h('h2', {id: 'tl-h'}, 'Timeline'),
    h('fieldset', {class: 'chips'}, h('legend', null, 'Show'), boxes),
    count, list);
  all = timelineEvents(rec);
  draw();
  return {el, refresh() { all = timelineEvents(rec); draw(); }};
}
