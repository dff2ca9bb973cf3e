// SPDX-License-Identifier: MIT
// The fees-relief planner: choose funds and an objective, make the optimal
// plan, read whom it frees and why, and commit it (pay) after a confirmation.

import {get, post, itemsOf, describe} from './api.js';
import {h, replace, tableBox, uid, icon} from './dom.js';
import {money, num, percent, words, capital, plural, date, instant} from './format.js';
import {meter} from './charts.js';

const OUTCOMES = {
  discharge: 'Supervision can end now',
  discharge_on: 'Supervision can end on a date',
  conditions_met: 'Payment conditions met',
};

const METHODS = {
  'cheapest-first': 'choosing the cheapest first, as every person counts the same',
  knapsack: 'an exact knapsack',
  mip: 'a mixed-integer programme',
};

// The last form choices, so that coming back keeps them (not personal).
const choice = {funds: null, objective: 'people'};

function planId(p) {
  return p.plan_id ?? p.id ?? null;
}

function fundIdsOf(p) {
  if (Array.isArray(p.funds)) return p.funds.map((f) => Number(typeof f === 'object' ? f.id : f)).filter(Boolean);
  if (typeof p.funds === 'string') return p.funds.split(/[^0-9]+/).filter(Boolean).map(Number);
  return [];
}

export function render(main, params, ctx) {
  ctx.setTitle(params[0] ? `Plan ${params[0]}` : 'Planner');
  const controller = new AbortController();
  const canMake = ctx.can('plans.make');
  const formBox = h('section', {class: 'panel', 'aria-labelledby': 'make-h'},
    h('h2', {id: 'make-h'}, 'Make a plan'), h('p', {class: 'loading'}, 'Loading the funds…'));
  const planBox = h('div', {class: 'plan-box'});
  const listBox = h('section', {class: 'panel', 'aria-labelledby': 'saved-h'},
    h('h2', {id: 'saved-h'}, 'Saved plans'), h('p', {class: 'loading'}, 'Loading…'));
  let funds = [];

  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'Fees relief planner'),
      h('p', {class: 'lead'}, 'Choose whose fines, fees and restitution to pay so that donated money frees the most people. Every plan is checked to be the best possible within the budget, and every choice has its reason.')),
    canMake ? formBox : h('p', {class: 'notice'}, 'Your role can read plans. A finance officer or an administrator makes and pays them.'),
    planBox, listBox);

  async function loadFunds() {
    try {
      funds = itemsOf(await get('/funds', {signal: controller.signal}), 'funds');
      if (canMake) drawForm();
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(formBox, h('h2', {id: 'make-h'}, 'Make a plan'),
        h('div', {class: 'alert alert-error', role: 'alert'}, h('p', null, `The funds could not be loaded. ${describe(e)}`)));
    }
  }

  async function loadList() {
    try {
      const plans = itemsOf(await get('/plans', {signal: controller.signal}), 'plans');
      drawList(plans);
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(listBox, h('h2', {id: 'saved-h'}, 'Saved plans'),
        h('div', {class: 'alert alert-error', role: 'alert'}, h('p', null, `The saved plans could not be loaded. ${describe(e)}`)));
    }
  }

  function drawForm() {
    const legendId = uid('funds');
    if (!choice.funds) choice.funds = new Set(funds.filter((f) => Number(f.balance_cents) > 0).slice(0, 1).map((f) => Number(f.id)));
    const boxes = funds.map((f) => {
      const id = uid('fund');
      const input = h('input', {type: 'checkbox', id, name: 'fund', value: String(f.id),
        checked: choice.funds.has(Number(f.id))});
      return h('div', {class: 'choice'}, input,
        h('label', {for: id}, h('span', {class: 'strong'}, f.name || `Fund ${f.id}`),
          h('span', {class: 'sub'}, `${money(f.balance_cents)} left of ${money(f.given_cents)} given`)));
    });
    const objectives = [['people', 'People freed', 'Each person whose supervision can end counts one.'],
      ['weighted', 'Weighted impact', 'Also counts months of supervision avoided, parents of minor children and technical violations on record.']]
      .map(([v, label, hint]) => {
        const id = uid('obj');
        return h('div', {class: 'choice'},
          h('input', {type: 'radio', id, name: 'objective', value: v, checked: choice.objective === v,
            'aria-describedby': `${id}-hint`}),
          h('label', {for: id}, h('span', {class: 'strong'}, label), h('span', {class: 'sub', id: `${id}-hint`}, hint)));
      });
    const alert = h('div', {class: 'alert', role: 'alert'});
    const run = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Make the plan');
    const form = h('form', {class: 'plan-form', novalidate: true, 'aria-labelledby': 'make-h'},
      h('fieldset', {'aria-describedby': `${legendId}-hint`}, h('legend', {id: legendId}, 'Funds'),
        h('p', {class: 'hint', id: `${legendId}-hint`}, 'One or more. Each fund pays only what its restrictions allow.'),
        funds.length ? boxes : h('p', null, 'There are no funds yet. Add one with "homeward fund add".')),
      h('fieldset', null, h('legend', null, 'Objective'), objectives),
      alert, h('div', {class: 'actions'}, run));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      replace(alert);
      alert.classList.remove('alert-error');
      const chosen = [...form.querySelectorAll('input[name="fund"]:checked')].map((i) => Number(i.value));
      const objective = form.querySelector('input[name="objective"]:checked')?.value || 'people';
      choice.funds = new Set(chosen);
      choice.objective = objective;
      if (!chosen.length) {
        replace(alert, h('p', null, 'Choose at least one fund.'));
        alert.classList.add('alert-error');
        form.querySelector('input[name="fund"]')?.focus();
        return;
      }
      await makePlan(chosen, objective, run);
    });
    replace(formBox, h('h2', {id: 'make-h'}, 'Make a plan'), form);
  }

  async function makePlan(fundIds, objective, button) {
    if (button) {
      button.disabled = true;
      button.textContent = 'Planning…';
    }
    planBox.setAttribute('aria-busy', 'true');
    replace(planBox, h('p', {class: 'loading'}, 'Finding the best plan…'));
    try {
      const plan = await post('/plans', {funds: fundIds, objective});
      plan.status = plan.status || 'draft';
      drawPlan(plan, plan.chosen || [], fundIds);
      const id = planId(plan);
      if (id) history.replaceState(null, '', `#/planner/${id}`);
      ctx.announce(`Plan ${id ?? ''} made: ${plural(plan.people_freed ?? 0, 'person', 'people')} freed for ${money(plan.spent_cents)}.`);
      planBox.querySelector('h2')?.focus();
      loadList();
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(planBox, h('div', {class: 'alert alert-error', role: 'alert'},
        h('p', null, `No plan was made. ${describe(e)}`)));
    } finally {
      planBox.removeAttribute('aria-busy');
      if (button) {
        button.disabled = false;
        button.textContent = 'Make the plan';
      }
    }
  }

  function fundName(id) {
    const f = funds.find((x) => Number(x.id) === Number(id));
    return f ? f.name : `Fund ${id}`;
  }

  function drawPlan(plan, chosen, fundIds) {
    const id = planId(plan);
    const committed = plan.status === 'committed';
    const optimal = plan.optimal !== false;
    const gap = Number(plan.gap || 0);
    const weighted = plan.objective === 'weighted';
    const stats = [
      ['People freed', num(plan.people_freed ?? (chosen ? chosen.filter((c) => c.outcome !== 'conditions_met').length : null))],
      ['People paid for', num(chosen ? chosen.length : plan.people)],
      [weighted ? 'Weighted impact' : 'Objective', `${num(plan.objective_value)}${weighted ? ' points' : ''}`],
      ['Proven bound', num(plan.bound)],
      ['Gap to the bound', percent(gap, 2)],
      ['Supervision months avoided', num(plan.months_avoided)],
      ['Candidates considered', num(plan.candidates)],
      ['Greedy choice would reach', num(plan.greedy_value)],
      ['Sent to the court to waive instead', num(plan.waivers_instead)],
    ].filter(([, v]) => v !== '—');
    const proof = optimal
      ? h('p', {class: 'proof ok'}, icon('check'), h('span', null, h('strong', null, 'Optimal. '),
        `No plan within these budgets does better${plan.method ? `, as proved by ${METHODS[plan.method] || plan.method}` : ''}.`))
      : h('p', {class: 'proof warn'}, h('span', null, h('strong', null, 'Not proven optimal. '),
        `The best possible is at most ${num(plan.bound)}; this plan is within ${percent(gap, 2)} of it.`));
    const fundRows = Array.isArray(plan.funds) && plan.funds.length && typeof plan.funds[0] === 'object' ? plan.funds : [];
    const commitArea = h('div', {class: 'commit-area'});
    const resultBox = h('div', {class: 'commit-result'});
    const budget = Number(plan.budget_cents || 0);
    const spent = Number(plan.spent_cents || 0);

    if (!committed && ctx.can('plans.make') && id) {
      commitArea.append(h('button', {type: 'button', class: 'btn btn-primary', 'data-action': 'commit',
        onclick: (ev) => confirmCommit(plan, chosen, ev.currentTarget, resultBox, fundIds)},
      `Commit: pay ${money(spent)}`));
    }

    replace(planBox, h('section', {class: 'panel plan', 'aria-labelledby': 'plan-h'},
      h('div', {class: 'det-head'},
        h('h2', {id: 'plan-h', tabindex: '-1'}, id ? `Plan ${id}` : 'Plan'),
        h('span', {class: `badge badge-${committed ? 'eligible' : 'draft'}`}, committed ? 'Committed' : capital(words(plan.status || 'draft')))),
      h('p', {class: 'muted'}, [weighted ? 'Objective: weighted impact' : 'Objective: people freed',
        plan.as_of ? `as of ${date(plan.as_of)}` : null, plan.created_at ? `made ${instant(plan.created_at)}` : null]
        .filter(Boolean).join(' · ')),
      proof,
      meter({label: 'Spent', value: spent, max: budget,
        text: `${money(spent)} of ${money(budget)}${budget ? ` (${percent(spent / budget, spent < budget && spent / budget > 0.995 ? 2 : 1)})` : ''}`}),
      h('dl', {class: 'stats'}, stats.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))),
      fundRows.length ? tableBox('Funds in this plan', h('table', {class: 'data'},
        h('caption', null, 'By fund'),
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Fund'), h('th', {scope: 'col', class: 'num'}, 'Budget'),
          h('th', {scope: 'col', class: 'num'}, 'Spent'), h('th', {scope: 'col', class: 'num'}, 'Candidates'))),
        h('tbody', null, fundRows.map((f) => h('tr', null, h('th', {scope: 'row'}, f.name || fundName(f.id)),
          h('td', {class: 'num'}, money(f.budget_cents)), h('td', {class: 'num'}, money(f.spent_cents)),
          h('td', {class: 'num'}, num(f.candidates))))))) : null,
      commitArea, resultBox,
      h('h3', null, `Chosen: ${plural(chosen ? chosen.length : (plan.people ?? 0), 'person', 'people')}`),
      !chosen ? h('p', {class: 'muted'}, 'The people chosen, each with the reason, are listed when the plan is made.') : null,
      !chosen ? null : chosen.length ? tableBox('People chosen', h('table', {class: 'data cards-on-phone chosen'},
        h('caption', {class: 'visually-hidden'}, 'People whose balances this plan pays, with the reason'),
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Person'), h('th', {scope: 'col'}, 'Outcome'),
          h('th', {scope: 'col', class: 'num'}, 'Cost'), h('th', {scope: 'col', class: 'num'}, weighted ? 'Points' : 'Counts'),
          h('th', {scope: 'col', class: 'num'}, 'Months avoided'), h('th', {scope: 'col'}, 'Why'))),
        h('tbody', null, chosen.map((c) => {
          const name = c.name || [c.given_name, c.family_name].filter(Boolean).join(' ');
          return h('tr', null,
            h('th', {scope: 'row', 'data-label': 'Person'}, h('a', {href: `#/people/${c.person_id}`}, name || `Person ${c.person_id}`)),
            h('td', {'data-label': 'Outcome'}, OUTCOMES[c.outcome] || capital(words(c.outcome))),
            h('td', {class: 'num', 'data-label': 'Cost'}, money(c.cost_cents)),
            h('td', {class: 'num', 'data-label': weighted ? 'Points' : 'Counts'}, num(c.value)),
            h('td', {class: 'num', 'data-label': 'Months avoided'}, num(c.months_avoided)),
            h('td', {class: 'reason', 'data-label': 'Why'}, c.reason || '—',
              Array.isArray(c.obligations) && c.obligations.length
                ? h('span', {class: 'sub'}, `Pays ${c.obligations.map((o) => `${words(o.kind)} ${money(o.amount_cents)} to ${o.payee || 'the payee'}`).join('; ')}`)
                : null));
        })))) : h('p', null, 'No one could be freed within these budgets.')));
  }

  function confirmCommit(plan, chosen, button, resultBox, fundIds) {
    const id = planId(plan);
    const people = chosen ? chosen.length : Number(plan.people || 0);
    const payees = new Set((chosen || []).flatMap((c) => (c.obligations || []).map((o) => o.payee)).filter(Boolean));
    const titleId = uid('dlg');
    const descId = uid('dlg');
    const yes = h('button', {type: 'button', class: 'btn btn-primary'}, `Pay ${money(plan.spent_cents)}`);
    const no = h('button', {type: 'button', class: 'btn', autofocus: true}, 'Cancel');
    const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': titleId, 'aria-describedby': descId},
      h('h2', {id: titleId}, `Pay plan ${id}?`),
      h('div', {id: descId},
        h('p', null, `This pays ${money(plan.spent_cents)} from ${fundIds.length ? fundIds.map(fundName).join(', ') : 'the plan\'s funds'} to ${payees.size ? plural(payees.size, 'payee') : 'the payees'}, for ${plural(people, 'person', 'people')}.`),
        h('p', null, 'Payments are recorded in the ledger and cannot be undone; a mistake is corrected by an adjustment.')),
      h('div', {class: 'actions'}, yes, no));
    document.body.append(dialog);
    const close = () => {
      dialog.close();
      dialog.remove();
      button.focus();
    };
    no.addEventListener('click', close);
    dialog.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      close();
    });
    yes.addEventListener('click', async () => {
      dialog.close();
      dialog.remove();
      await commit(plan, button, resultBox, fundIds);
    });
    dialog.showModal();
    no.focus();
  }

  async function commit(plan, button, resultBox, fundIds) {
    const id = planId(plan);
    button.disabled = true;
    button.textContent = 'Paying…';
    replace(resultBox, h('p', {class: 'loading', role: 'status'}, 'Paying…'));
    try {
      const r = await post(`/plans/${id}/commit`, {});
      const res = (r && (r.result || r.impact)) ? {...r, ...(r.result || {}), ...(r.impact || {})} : (r || {});
      plan.status = 'committed';
      button.remove();
      const facts = [
        ['Payments made', num(res.payments_made ?? res.payments ?? res.payment_count)],
        ['Paid in all', money(res.paid_cents ?? plan.spent_cents)],
        ['People freed', num(res.people_freed)],
        ['People helped', num(res.people_helped)],
        ['Supervision months avoided', num(res.supervision_months_avoided ?? res.months_avoided)],
        ['Payees', num(res.payees)],
      ].filter(([, v]) => v !== '—');
      replace(resultBox, h('div', {class: 'alert alert-ok', role: 'status', tabindex: '-1'},
        h('h3', null, res.already ? `Plan ${id} was already paid: nothing was paid again` : `Plan ${id} is paid`),
        h('dl', {class: 'stats'}, facts.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))))));
      const badge = planBox.querySelector('.det-head .badge');
      if (badge) {
        badge.textContent = 'Committed';
        badge.className = 'badge badge-eligible';
      }
      resultBox.firstChild.focus();
      loadList();
      loadFunds();
    } catch (e) {
      button.disabled = false;
      button.textContent = `Commit: pay ${money(plan.spent_cents)}`;
      if (e.status === 409) {
        const again = fundIds.length
          ? h('button', {type: 'button', class: 'btn btn-primary', onclick: () => makePlan(fundIds, plan.objective || 'people', null)},
            'Make a new plan with the same funds')
          : null;
        replace(resultBox, h('div', {class: 'alert alert-error', role: 'alert', tabindex: '-1'},
          h('h3', null, 'This plan is out of date: nothing was paid'),
          h('p', null, e.message),
          h('p', null, 'Balances or funds changed after the plan was made. Make a new plan and review it before paying.'),
          again));
        button.remove();
      } else {
        replace(resultBox, h('div', {class: 'alert alert-error', role: 'alert', tabindex: '-1'},
          h('h3', null, 'Not paid'), h('p', null, describe(e))));
      }
      resultBox.firstChild.focus();
    }
  }

  function drawList(plans) {
    if (!plans.length) {
      replace(listBox, h('h2', {id: 'saved-h'}, 'Saved plans'), h('p', null, 'No plans yet.'));
      return;
    }
    replace(listBox, h('h2', {id: 'saved-h'}, 'Saved plans'),
      tableBox('Saved plans', h('table', {class: 'data cards-on-phone'},
        h('caption', {class: 'visually-hidden'}, 'Saved plans, newest first'),
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Plan'), h('th', {scope: 'col'}, 'Status'),
          h('th', {scope: 'col'}, 'Objective'), h('th', {scope: 'col', class: 'num'}, 'People'),
          h('th', {scope: 'col', class: 'num'}, 'Spent'), h('th', {scope: 'col', class: 'num'}, 'Budget'),
          h('th', {scope: 'col'}, 'Made'))),
        h('tbody', null, plans.map((p) => h('tr', null,
          h('th', {scope: 'row', class: 'nowrap'}, h('a', {href: `#/planner/${planId(p)}`}, `Plan ${planId(p)}`)),
          h('td', {'data-label': 'Status'}, h('span', {class: `badge badge-${p.status === 'committed' ? 'eligible' : 'draft'}`}, capital(words(p.status || 'draft')))),
          h('td', {'data-label': 'Objective'}, p.objective === 'weighted' ? 'Weighted impact' : 'People freed'),
          h('td', {class: 'num', 'data-label': 'People'}, num(p.people ?? p.people_freed)),
          h('td', {class: 'num', 'data-label': 'Spent'}, money(p.spent_cents)),
          h('td', {class: 'num', 'data-label': 'Budget'}, money(p.budget_cents)),
          h('td', {'data-label': 'Made'}, instant(p.created_at))))))));
  }

  async function loadSaved(id) {
    planBox.setAttribute('aria-busy', 'true');
    replace(planBox, h('p', {class: 'loading'}, `Loading plan ${id}…`));
    try {
      const data = await get(`/plans/${id}`, {signal: controller.signal});
      const plan = data.plan && typeof data.plan === 'object' ? {...data.plan} : {...data};
      const chosen = [data.chosen, plan.chosen, data.people].find(Array.isArray) || null;
      drawPlan(plan, chosen, fundIdsOf(plan));
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(planBox, h('div', {class: 'alert alert-error', role: 'alert'},
        h('p', null, e.status === 404 ? `There is no plan ${id}.` : `The plan could not be loaded. ${describe(e)}`)));
    } finally {
      planBox.removeAttribute('aria-busy');
    }
  }

  loadFunds();
  loadList();
  if (params[0]) loadSaved(Number(params[0]));
  return () => {
    controller.abort();
    for (const d of document.querySelectorAll('dialog.confirm')) d.remove();
  };
}
