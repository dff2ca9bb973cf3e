// SPDX-License-Identifier: MIT
// The caseload: people with filters, sort and "load more".

import {get, query, itemsOf, describe} from './api.js';
import {h, replace, field, setFieldError, uid} from './dom.js';
import {money, date, num, words, sortName, parseDollars, capital, plural} from './format.js';

const PAGE = 50;

function blankFilters() {
  return {q: '', supervision_type: '', officer: '', min_balance: '', eligible: false,
    missed_checkin: false, sort: 'family_name'};
}

// Kept in memory (never in the URL) so that coming back from a person
// shows the same list, and forgotten at sign-out.
const cache = {filters: blankFilters(), items: [], next: null, loaded: false, total: null,
  officers: new Set(), lastOpened: null};

let resetRegistered = false;

export function render(main, _params, ctx) {
  if (!resetRegistered) {
    resetRegistered = true;
    ctx.onReset(() => {
      Object.assign(cache, {filters: blankFilters(), items: [], next: null, loaded: false,
        total: null, officers: new Set(), lastOpened: null});
    });
  }
  ctx.setTitle('Caseload');
  const f = cache.filters;
  let controller = null;
  let seq = 0;
  let debounce = null;

  const q = field({label: 'Search', name: 'q', type: 'search', value: f.q,
    hint: 'Family name, "family, given", or an id',
    attrs: {autocomplete: 'off', spellcheck: 'false'}});
  q.wrap.classList.add('field-wide');
  const type = field({label: 'Supervision', name: 'supervision_type', value: f.supervision_type,
    options: [['', 'Any'], ['probation', 'Probation'], ['parole', 'Parole'],
      ['supervised_release', 'Supervised release']]});
  const officerListId = uid('officers');
  const officer = field({label: 'Officer', name: 'officer', value: f.officer,
    hint: 'Full name, as on the record', attrs: {autocomplete: 'off', list: officerListId}});
  const officerList = h('datalist', {id: officerListId});
  const minBalance = field({label: 'Owes at least ($)', name: 'min_balance', value: f.min_balance,
    attrs: {inputmode: 'decimal', autocomplete: 'off', placeholder: '0.00'}});
  const eligible = field({label: 'Eligible for some relief', name: 'eligible', type: 'checkbox',
    value: f.eligible});
  const missed = field({label: 'Missed a check-in (last 90 days)', name: 'missed_checkin',
    type: 'checkbox', value: f.missed_checkin});
  const sort = field({label: 'Sort by', name: 'sort', value: f.sort,
    options: [['family_name', 'Family name, A to Z'], ['-family_name', 'Family name, Z to A'],
      ['-id', 'Newest record first'], ['id', 'Oldest record first']]});
  const clearBtn = h('button', {type: 'button', class: 'btn'}, 'Clear filters');
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter the caseload'},
    h('div', {class: 'filter-grid'}, q.wrap, type.wrap, sort.wrap, officer.wrap, minBalance.wrap),
    h('div', {class: 'filter-row'}, eligible.wrap, missed.wrap,
      h('div', {class: 'filter-actions'},
        h('button', {type: 'submit', class: 'btn btn-primary'}, 'Search'), clearBtn)),
    officerList);

  const alert = h('div', {class: 'alert', role: 'alert'});
  const summary = h('p', {class: 'result-count', id: 'caseload-count'});
  const tbody = h('tbody');
  const table = h('table', {class: 'data cards-on-phone', 'aria-describedby': 'caseload-count'},
    h('caption', {class: 'visually-hidden'}, 'People on the caseload'),
    h('thead', null, h('tr', null,
      h('th', {scope: 'col'}, 'Name'),
      h('th', {scope: 'col'}, 'Date of birth'),
      h('th', {scope: 'col'}, 'Supervision'),
      h('th', {scope: 'col', class: 'num'}, 'Balance owed'),
      h('th', {scope: 'col', class: 'num'}, 'Relief found'),
      h('th', {scope: 'col', class: 'num'}, 'Missed check-ins'))),
    tbody);
  const more = h('button', {type: 'button', class: 'btn', hidden: true}, 'Load more');
  const busy = h('p', {class: 'loading', hidden: true}, 'Loading…');
  const results = h('section', {'aria-labelledby': 'caseload-results'},
    h('h2', {id: 'caseload-results', class: 'visually-hidden'}, 'Results'),
    summary, h('div', {class: 'table-wrap'}, table), busy, h('div', {class: 'more'}, more));

  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'Caseload'),
      h('p', {class: 'lead'}, 'People on your organisation\'s caseload. Open a person to see their record and relief.')),
    form, alert, results);

  function readFilters() {
    return {
      q: q.input.value.trim(),
      supervision_type: type.input.value,
      officer: officer.input.value.trim(),
      min_balance: minBalance.input.value.trim(),
      eligible: eligible.input.checked,
      missed_checkin: missed.input.checked,
      sort: sort.input.value,
    };
  }

  function params(filters, cursor) {
    const cents = parseDollars(filters.min_balance);
    return query({
      q: filters.q, supervision_type: filters.supervision_type, officer: filters.officer,
      min_balance_cents: cents === null || Number.isNaN(cents) ? '' : cents,
      eligible: filters.eligible ? 'true' : '', missed_checkin: filters.missed_checkin ? 'true' : '',
      sort: filters.sort, limit: PAGE, cursor,
    });
  }

  function row(p) {
    const sup = p.supervision;
    const link = h('a', {href: `#/people/${p.id}`, 'data-person': p.id,
      onclick: () => { cache.lastOpened = p.id; }}, sortName(p) || `Person ${p.id}`);
    const supText = sup
      ? [h('span', {class: 'strong'}, capital(words(sup.supervision_type))),
        sup.officer ? h('span', {class: 'sub'}, `Officer ${sup.officer}`) : null,
        sup.scheduled_end_date ? h('span', {class: 'sub'}, `Ends ${date(sup.scheduled_end_date)}`) : null,
        sup.status && sup.status !== 'active' ? h('span', {class: 'sub'}, words(sup.status)) : null]
      : h('span', {class: 'muted'}, 'None active');
    const elig = Number(p.eligible_rules || 0);
    const miss = Number(p.missed_checkins || 0);
    return h('tr', null,
      h('th', {scope: 'row', 'data-label': 'Name'}, link, h('span', {class: 'sub'}, `Id ${p.id}`)),
      h('td', {'data-label': 'Date of birth'}, date(p.dob)),
      h('td', {'data-label': 'Supervision'}, supText),
      h('td', {class: 'num', 'data-label': 'Balance owed'}, money(p.balance_cents)),
      h('td', {class: 'num', 'data-label': 'Relief found'}, elig > 0
        ? h('span', {class: 'badge badge-eligible'}, plural(elig, 'rule'))
        : h('span', {class: 'muted'}, 'None found')),
      h('td', {class: 'num', 'data-label': 'Missed check-ins'}, miss > 0
        ? h('span', {class: 'badge badge-missed'}, num(miss)) : '0'));
  }

  function showSummary() {
    const n = cache.items.length;
    let text;
    if (n === 0) text = 'No one matches these filters.';
    else if (cache.total !== null && cache.total !== undefined) text = `Showing ${num(n)} of ${plural(cache.total, 'person', 'people')}.`;
    else if (cache.next) text = `Showing the first ${plural(n, 'person', 'people')}; more match.`;
    else text = `${plural(n, 'person', 'people')} ${n === 1 ? 'matches' : 'match'}.`;
    summary.textContent = text;
    more.hidden = !cache.next;
    return text;
  }

  function updateOfficers(items) {
    for (const p of items) if (p.supervision && p.supervision.officer) cache.officers.add(p.supervision.officer);
    replace(officerList, [...cache.officers].sort().slice(0, 200).map((o) => h('option', {value: o})));
  }

  function fieldFor(name) {
    if (name === 'q') return q;
    if (name === 'officer') return officer;
    if (name === 'supervision_type') return type;
    if (name === 'min_balance_cents') return minBalance;
    if (name === 'sort') return sort;
    return null;
  }

  async function load(append) {
    const filters = append ? cache.filters : readFilters();
    for (const x of [q, officer, minBalance, type, sort]) setFieldError(x, null);
    replace(alert);
    const cents = parseDollars(filters.min_balance);
    if (Number.isNaN(cents)) {
      setFieldError(minBalance, 'Enter an amount in dollars, such as 250 or 99.50.');
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = ++seq;
    busy.hidden = false;
    more.disabled = true;
    results.setAttribute('aria-busy', 'true');
    try {
      const data = await get(`/people${params(filters, append ? cache.next : null)}`, {signal: controller.signal});
      if (mine !== seq) return;
      const items = itemsOf(data);
      const firstNew = cache.items.length;
      if (!append) {
        cache.items = [];
        replace(tbody);
      }
      cache.filters = filters;
      cache.items.push(...items);
      cache.next = data && data.next ? data.next : null;
      cache.total = data && Number.isFinite(data.total) ? data.total : null;
      cache.loaded = true;
      tbody.append(...items.map(row));
      updateOfficers(items);
      const text = showSummary();
      ctx.announce(append ? `${plural(items.length, 'more person', 'more people')} loaded. ${text}` : text);
      if (append && items.length) {
        const link = tbody.querySelectorAll('a[data-person]')[append ? firstNew : 0];
        if (link) link.focus();
      }
    } catch (e) {
      if (e.name === 'AbortError' || mine !== seq) return;
      const target = e.field ? fieldFor(e.field) : null;
      if (target) {
        setFieldError(target, e.message);
        target.input.focus();
      } else {
        replace(alert, h('p', null, `The caseload could not be loaded. ${describe(e)}`));
      }
    } finally {
      if (mine === seq) {
        busy.hidden = true;
        more.disabled = false;
        results.removeAttribute('aria-busy');
      }
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(debounce);
    load(false);
  });
  for (const x of [type, sort, eligible, missed]) x.input.addEventListener('change', () => load(false));
  for (const x of [q, officer]) {
    x.input.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => load(false), 450);
    });
  }
  clearBtn.addEventListener('click', () => {
    const b = blankFilters();
    q.input.value = b.q;
    type.input.value = '';
    officer.input.value = '';
    minBalance.input.value = '';
    eligible.input.checked = false;
    missed.input.checked = false;
    sort.input.value = b.sort;
    load(false);
    q.input.focus();
  });
  more.addEventListener('click', () => load(true));

  if (cache.loaded) {
    tbody.append(...cache.items.map(row));
    updateOfficers(cache.items);
    showSummary();
    if (cache.lastOpened) {
      const link = tbody.querySelector(`a[data-person="${cache.lastOpened}"]`);
      if (link) {
        // Back from a person: keyboard focus returns to the row they opened.
        queueMicrotask(() => link.focus());
      }
    }
  } else {
    load(false);
  }

  return () => {
    clearTimeout(debounce);
    if (controller) controller.abort();
  };
}
