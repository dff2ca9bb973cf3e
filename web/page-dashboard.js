// SPDX-License-Identifier: MIT
// The dashboard: aggregates only (no names), for every role, funders included.

import {get, itemsOf, describe} from './api.js';
import {h, replace, tableBox} from './dom.js';
import {money, moneyShort, num, percent, plural} from './format.js';
import {barChart} from './charts.js';

function tile(label, value, sub, extra = '') {
  return h('li', {class: `tile ${extra}`}, h('span', {class: 'tile-label'}, label),
    h('span', {class: 'tile-value'}, value), sub ? h('span', {class: 'tile-sub'}, sub) : null);
}

export function render(main, _params, ctx) {
  ctx.setTitle('Dashboard');
  const controller = new AbortController();
  const body = h('div', {class: 'dashboard', 'aria-busy': 'true'}, h('p', {class: 'loading'}, 'Loading the figures…'));
  const isFunder = ctx.user && ctx.user.role === 'funder';
  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'Dashboard'),
      h('p', {class: 'lead'}, isFunder
        ? 'Outcomes of the programme you fund: counts and sums only.'
        : 'Your organisation at a glance: counts and sums only, no names.')),
    body);

  (async () => {
    let dash;
    let funds = [];
    let fundsError = null;
    try {
      const [d, f] = await Promise.allSettled([
        get('/dashboard', {signal: controller.signal}),
        get('/funds', {signal: controller.signal}),
      ]);
      if (d.status === 'rejected') throw d.reason;
      dash = d.value || {};
      if (f.status === 'fulfilled') funds = itemsOf(f.value, 'funds');
      else fundsError = f.reason;
    } catch (e) {
      if (e.name === 'AbortError') return;
      body.removeAttribute('aria-busy');
      replace(body, h('div', {class: 'alert alert-error', role: 'alert'},
        h('p', null, `The dashboard could not be loaded. ${describe(e)}`)));
      return;
    }
    if (controller.signal.aborted) return;
    draw(dash, funds, fundsError);
    body.removeAttribute('aria-busy');
    ctx.announce('Dashboard loaded.');
  })();

  function draw(dash, funds, fundsError) {
    const balances = dash.balances || {};
    const relief = dash.relief || {};
    const checkins = dash.checkins || {};
    const attended = Number(checkins.attended || 0);
    const missedN = Number(checkins.missed || 0);
    const peopleOf = (r) => Number(r.people ?? r.eligible_people ?? 0);
    const allRules = Array.isArray(dash.eligible_by_rule) ? dash.eligible_by_rule : [];
    const byRule = allRules.filter((r) => peopleOf(r) > 0).sort((a, b) => peopleOf(b) - peopleOf(a));
    const noneFound = allRules.length - byRule.length;
    const fundTotals = funds.reduce((t, f) => ({given: t.given + Number(f.given_cents || 0),
      paid: t.paid + Number(f.paid_cents || 0), balance: t.balance + Number(f.balance_cents || 0)}),
    {given: 0, paid: 0, balance: 0});

    const tiles = h('ul', {class: 'tiles', 'aria-label': 'Key figures'},
      tile('People on the caseload', num(dash.people ?? 0)),
      tile('People owing', num(balances.people_owing ?? 0), `${money(balances.total_cents ?? 0)} owed in all`),
      tile('People freed by funds', num(relief.people_freed ?? 0), `${money(relief.paid_cents ?? 0)} paid`, 'good'),
      tile(`Check-ins kept, ${checkins.days || 90} days`, attended + missedN ? percent(attended / (attended + missedN), 0) : '—',
        `${num(attended)} attended, ${num(missedN)} missed`));

    const eligibleChart = barChart({
      title: 'People eligible, by rule',
      categories: byRule.map((r) => ({label: r.title || r.rule, values: [peopleOf(r)]})),
      series: [{name: 'People', className: 'series-0'}],
      format: num,
      empty: 'No one has been screened eligible yet.',
    });
    const moneyChart = barChart({
      title: 'Balances owed and dollars paid',
      categories: [
        {label: 'Owed now by people on the caseload', values: [balances.total_cents || 0]},
        {label: 'Paid by relief funds', values: [relief.paid_cents || 0]},
      ],
      series: [{name: 'Dollars', className: 'series-0'}],
      format: moneyShort,
    });
    const peopleChart = barChart({
      title: 'People owing and people freed',
      categories: [
        {label: 'Owe a balance now', values: [balances.people_owing || 0]},
        {label: 'Freed by relief funds', values: [relief.people_freed || 0], classNames: ['series-1']},
      ],
      series: [{name: 'People', className: 'series-0'}],
      format: num,
    });
    const checkinChart = barChart({
      title: `Check-ins in the last ${checkins.days || 90} days`,
      categories: [{label: 'Attended', values: [attended]},
        {label: 'Missed', values: [missedN], classNames: ['series-bad']}],
      series: [{name: 'Check-ins', className: 'series-0'}],
      format: num,
    });

    const fundSection = h('section', {class: 'panel wide', 'aria-labelledby': 'funds-h'},
      h('h2', {id: 'funds-h'}, 'Relief funds'),
      fundsError
        ? h('p', {class: 'alert alert-error'}, `The funds could not be loaded. ${describe(fundsError)}`)
        : funds.length
          ? [barChart({
            title: 'Each fund: given, paid and left',
            categories: funds.map((f) => ({label: f.name || `Fund ${f.id}`,
              values: [f.given_cents || 0, f.paid_cents || 0, f.balance_cents || 0]})),
            series: [{name: 'Given', className: 'series-0'}, {name: 'Paid', className: 'series-1'},
              {name: 'Left', className: 'series-2'}],
            format: moneyShort,
          }),
          tableBox('Funds', h('table', {class: 'data'},
            h('caption', {class: 'visually-hidden'}, 'Funds and their balances'),
            h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Fund'),
              h('th', {scope: 'col', class: 'num'}, 'Given'), h('th', {scope: 'col', class: 'num'}, 'Paid'),
              h('th', {scope: 'col', class: 'num'}, 'Left'))),
            h('tbody', null, funds.map((f) => h('tr', null,
              h('th', {scope: 'row'}, f.name || `Fund ${f.id}`),
              h('td', {class: 'num'}, money(f.given_cents)), h('td', {class: 'num'}, money(f.paid_cents)),
              h('td', {class: 'num'}, money(f.balance_cents))))),
            funds.length > 1 ? h('tfoot', null, h('tr', null, h('th', {scope: 'row'}, 'All funds'),
              h('td', {class: 'num'}, money(fundTotals.given)), h('td', {class: 'num'}, money(fundTotals.paid)),
              h('td', {class: 'num'}, money(fundTotals.balance)))) : null))]
          : h('p', null, 'No funds yet.'));

    replace(body,
      tiles,
      h('div', {class: 'chart-grid'},
        h('section', {class: 'panel', 'aria-labelledby': 'elig-h'},
          h('h2', {id: 'elig-h'}, 'Relief found'), eligibleChart,
          noneFound ? h('p', {class: 'muted small'}, `${plural(noneFound, 'other rule')} found no one eligible yet.`) : null),
        h('div', {class: 'stack-panels'},
          h('section', {class: 'panel', 'aria-labelledby': 'money-h'},
            h('h2', {id: 'money-h'}, 'Balances and relief'), peopleChart, moneyChart),
          h('section', {class: 'panel', 'aria-labelledby': 'checkins-h'},
            h('h2', {id: 'checkins-h'}, 'Staying compliant'), checkinChart))),
      fundSection);
  }

  return () => controller.abort();
}
