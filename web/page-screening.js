// SPDX-License-Identifier: MIT
// Screening results: counts per rule and status, sortable, with CSV export;
// and one rule's determinations, person by person.

import {get, query, itemsOf, describe} from './api.js';
import {h, replace, field, tableBox, icon} from './dom.js';
import {num, date, statusLabel, citationText, capital, words} from './format.js';

const STATUSES = ['eligible', 'eligible_on', 'needs_review', 'ineligible'];

function countOf(row, status) {
  if (row.statuses && typeof row.statuses === 'object') return Number(row.statuses[status] || 0);
  if (row.counts && typeof row.counts === 'object') return Number(row.counts[status] || 0);
  if (row.by_status && typeof row.by_status === 'object') return Number(row.by_status[status] || 0);
  return Number(row[status] || 0);
}

function totalOf(row) {
  return STATUSES.reduce((t, s) => t + countOf(row, s), 0);
}

const COLUMNS = [
  {key: 'title', label: 'Rule', value: (r) => String(r.title || r.rule).toLowerCase(), num: false},
  ...STATUSES.map((s) => ({key: s, label: statusLabel(s), value: (r) => countOf(r, s), num: true})),
  {key: 'total', label: 'Judged', value: totalOf, num: true},
];

const view = {sort: 'eligible', dir: 'desc', filter: ''};

export function render(main, params, ctx) {
  if (params[0]) return renderRule(main, params[0], ctx);
  ctx.setTitle('Screening');
  const controller = new AbortController();
  let rows = [];
  const filter = field({label: 'Find a rule', name: 'rule_filter', type: 'search', value: view.filter,
    hint: 'Words of its title, citation or id, such as "marijuana", "PA" or "3583"', attrs: {autocomplete: 'off'}});
  const box = h('div', {'aria-busy': 'true'}, h('p', {class: 'loading'}, 'Loading the screening…'));
  const count = h('p', {class: 'result-count', role: 'status'});
  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'Screening results'),
      h('p', {class: 'lead'}, 'Every rule, with how many records it found eligible, eligible on a later date, needing a person\'s review, or ineligible. Open a rule to see whom it found.')),
    h('form', {class: 'filters narrow', role: 'search', 'aria-label': 'Find a rule', onsubmit: (e) => e.preventDefault()}, filter.wrap),
    count, box);

  function matches(r) {
    const q = view.filter.trim().toLowerCase();
    if (!q) return true;
    return [r.title, r.rule, citationText(r)].some((t) => String(t || '').toLowerCase().includes(q));
  }

  function draw(focusKey) {
    const col = COLUMNS.find((c) => c.key === view.sort) || COLUMNS[1];
    const shownRows = rows.filter(matches).sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const d = col.num ? x - y : String(x).localeCompare(String(y));
      return (view.dir === 'asc' ? d : -d) || String(a.rule).localeCompare(String(b.rule));
    });
    count.textContent = `${num(shownRows.length)} of ${num(rows.length)} rules shown, sorted by ${col.label.toLowerCase()}, ${view.dir === 'asc' ? 'ascending' : 'descending'}.`;
    const head = h('tr', null, COLUMNS.map((c) => {
      const active = c.key === view.sort;
      const btn = h('button', {type: 'button', class: 'sort', 'data-sort': c.key,
        onclick: () => {
          if (view.sort === c.key) view.dir = view.dir === 'asc' ? 'desc' : 'asc';
          else {
            view.sort = c.key;
            view.dir = c.num ? 'desc' : 'asc';
          }
          draw(c.key);
        }},
      c.label, h('span', {class: 'sort-mark', 'aria-hidden': 'true'}, active ? (view.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'));
      return h('th', {scope: 'col', class: c.num ? 'num' : null,
        'aria-sort': active ? (view.dir === 'asc' ? 'ascending' : 'descending') : null}, btn);
    }), h('th', {scope: 'col'}, 'Export'));
    const body = shownRows.map((r) => h('tr', null,
      h('th', {scope: 'row', class: 'rule-cell'},
        h('a', {href: `#/screening/${encodeURIComponent(r.rule)}`}, r.title || r.rule),
        citationText(r) ? h('span', {class: 'sub'}, citationText(r)) : null,
        h('span', {class: 'sub mono'}, r.rule)),
      STATUSES.map((s) => h('td', {class: 'num', 'data-label': statusLabel(s)},
        countOf(r, s) ? h('span', {class: `count-${s}`}, num(countOf(r, s))) : h('span', {class: 'muted'}, '0'))),
      h('td', {class: 'num', 'data-label': 'Judged'}, num(totalOf(r))),
      h('td', null, h('a', {href: `/api/v1/screening/export.csv${query({rule: r.rule})}`, download: `${r.rule}.csv`,
        class: 'csv-link'}, 'CSV', h('span', {class: 'visually-hidden'}, ` of ${r.title || r.rule}`)))));
    const table = h('table', {class: 'data sortable'},
      h('caption', {class: 'visually-hidden'}, 'Determinations per rule and status. Column headers sort the table.'),
      h('thead', null, head), h('tbody', null, body));
    box.removeAttribute('aria-busy');
    replace(box, tableBox('Screening results', table));
    if (focusKey) box.querySelector(`button[data-sort="${focusKey}"]`)?.focus();
  }

  filter.input.addEventListener('input', () => {
    view.filter = filter.input.value;
    draw();
  });

  (async () => {
    try {
      const data = await get('/screening', {signal: controller.signal});
      rows = itemsOf(data, 'rules');
      draw();
      ctx.announce(`${num(rows.length)} rules loaded.`);
    } catch (e) {
      if (e.name === 'AbortError') return;
      box.removeAttribute('aria-busy');
      replace(box, h('div', {class: 'alert alert-error', role: 'alert'},
        h('p', null, `The screening results could not be loaded. ${describe(e)}`)));
    }
  })();
  return () => controller.abort();
}

function leftText(l) {
  return typeof l === 'string' ? l : (l && l.text) || '';
}

function renderRule(main, ruleParam, ctx) {
  const rule = decodeURIComponent(ruleParam);
  ctx.setTitle(`Rule ${rule}`);
  const controller = new AbortController();
  let next = null;
  let loaded = 0;
  let seq = 0;
  const heading = h('h1', null, rule);
  const citation = h('p', {class: 'lead'});
  const status = field({label: 'Status', name: 'status', value: 'eligible',
    options: [...STATUSES.map((s) => [s, statusLabel(s)]), ['', 'Any status']]});
  const count = h('p', {class: 'result-count', role: 'status'});
  const alert = h('div', {class: 'alert', role: 'alert'});
  const tbody = h('tbody');
  const more = h('button', {type: 'button', class: 'btn', hidden: true}, 'Load more');
  replace(main,
    h('p', {class: 'back'}, h('a', {href: '#/screening'}, icon('back'), 'Screening results')),
    heading, citation,
    h('form', {class: 'filters narrow', 'aria-label': 'Filter determinations', onsubmit: (e) => e.preventDefault()},
      status.wrap,
      h('p', null, h('a', {href: `/api/v1/screening/export.csv${query({rule})}`, download: `${rule}.csv`},
        'Export every determination of this rule as CSV'))),
    alert, count,
    tableBox('Determinations', h('table', {class: 'data cards-on-phone'},
      h('caption', {class: 'visually-hidden'}, 'Determinations of this rule'),
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Person'), h('th', {scope: 'col'}, 'Record'),
        h('th', {scope: 'col'}, 'Status'), h('th', {scope: 'col'}, 'What is left'))),
      tbody)),
    h('div', {class: 'more'}, more));

  get('/screening', {signal: controller.signal}).then((data) => {
    const r = itemsOf(data, 'rules').find((x) => x.rule === rule);
    if (r) {
      heading.textContent = r.title || rule;
      ctx.setTitle(r.title || rule);
      if (citationText(r)) citation.dataset.cite = citationText(r);
      if (citationText(r) || !citation.dataset.cite) citation.textContent = [citationText(r), rule].filter(Boolean).join(' · ');
    }
  }).catch(() => {});

  async function load(append) {
    const mine = ++seq;
    replace(alert);
    more.disabled = true;
    try {
      const data = await get(`/determinations${query({rule, status: status.input.value, limit: 50,
        cursor: append ? next : null})}`, {signal: controller.signal});
      if (mine !== seq) return;
      const items = itemsOf(data);
      if (!append) {
        replace(tbody);
        loaded = 0;
      }
      if (items.length && !citationText({citation: citation.dataset.cite}) && citationText(items[0])) {
        citation.dataset.cite = citationText(items[0]);
        citation.textContent = [citationText(items[0]), rule].join(' · ');
      }
      const firstNew = loaded;
      loaded += items.length;
      next = data && data.next ? data.next : null;
      tbody.append(...items.map((d) => h('tr', null,
        h('th', {scope: 'row', 'data-label': 'Person'}, h('a', {href: `#/people/${d.person_id}`}, `Person ${d.person_id}`)),
        h('td', {'data-label': 'Record'}, `${capital(words(d.subject_kind || ''))} ${d.subject_id || ''}`.trim()),
        h('td', {'data-label': 'Status'}, h('span', {class: `badge badge-${d.status}`}, statusLabel(d.status)),
          d.eligible_on ? h('span', {class: 'sub'}, `on ${date(d.eligible_on)}`) : null),
        h('td', {'data-label': 'What is left'}, Array.isArray(d.left) && d.left.length
          ? h('ul', {class: 'plain'}, d.left.map((l) => h('li', null, leftText(l)))) : '—'))));
      more.hidden = !next;
      count.textContent = loaded ? `${num(loaded)} shown${next ? '; more to load' : ''}.` : 'None with this status.';
      if (append) tbody.querySelectorAll('a')[firstNew]?.focus();
    } catch (e) {
      if (e.name === 'AbortError' || mine !== seq) return;
      replace(alert, h('p', null, `The determinations could not be loaded. ${describe(e)}`));
      alert.classList.add('alert-error');
    } finally {
      more.disabled = false;
    }
  }
  status.input.addEventListener('change', () => load(false));
  more.addEventListener('click', () => load(true));
  load(false);
  return () => controller.abort();
}
