// SPDX-License-Identifier: MIT
// Homeward staff UI: the session, the hash router and the page shell.

import {get, del, setCsrf, setUnauthorizedHandler, describe} from './api.js';
import {h, replace} from './dom.js';
import {words} from './format.js';
import * as signin from './page-signin.js';
import * as caseload from './page-caseload.js';
import * as person from './page-person.js';
import * as screening from './page-screening.js';
import * as planner from './page-planner.js';
import * as dashboard from './page-dashboard.js';

const STAFF = ['admin', 'case_manager', 'legal', 'finance'];
const EVERYONE = [...STAFF, 'funder'];

/** What each role may do, as the API allows it (docs/api.md, Roles). */
const PERMISSIONS = {
  'records.read': STAFF,
  'records.write': ['admin', 'case_manager'],
  'screening.read': STAFF,
  'plans.read': STAFF,
  'plans.make': ['admin', 'finance'],
  'funds.read': EVERYONE,
  'dashboard.read': EVERYONE,
};

const ROUTES = [
  {path: /^\/caseload$/, page: caseload, perm: 'records.read', nav: 'caseload'},
  {path: /^\/people\/(\d+)$/, page: person, perm: 'records.read', nav: 'caseload'},
  {path: /^\/screening$/, page: screening, perm: 'screening.read', nav: 'screening'},
  {path: /^\/screening\/([A-Za-z0-9_.-]+)$/, page: screening, perm: 'screening.read', nav: 'screening'},
  {path: /^\/planner$/, page: planner, perm: 'plans.read', nav: 'planner'},
  {path: /^\/planner\/(\d+)$/, page: planner, perm: 'plans.read', nav: 'planner'},
  {path: /^\/dashboard$/, page: dashboard, perm: 'dashboard.read', nav: 'dashboard'},
];

const NAV = [
  {id: 'caseload', href: '#/caseload', text: 'Caseload', perm: 'records.read'},
  {id: 'screening', href: '#/screening', text: 'Screening', perm: 'screening.read'},
  {id: 'planner', href: '#/planner', text: 'Planner', perm: 'plans.read'},
  {id: 'dashboard', href: '#/dashboard', text: 'Dashboard', perm: 'dashboard.read'},
];

const ROLE_NAMES = {
  admin: 'Administrator', case_manager: 'Case manager', legal: 'Legal advocate',
  finance: 'Finance officer', funder: 'Funder',
};

const state = {
  user: null,
  returnTo: null,
  cleanup: null,
  firstRender: true,
  signinNotice: null,
};

const resetHooks = [];

const ctx = {
  get user() {
    return state.user;
  },
  can(perm) {
    return Boolean(state.user && (PERMISSIONS[perm] || []).includes(state.user.role));
  },
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  /** Say something to screen-reader users without moving focus. */
  announce(text) {
    const el = document.getElementById('status');
    el.textContent = '';
    // A fresh text node after a tick is announced even when the words repeat.
    setTimeout(() => {
      el.textContent = text;
    }, 50);
  },
  setTitle(text) {
    document.title = text ? `${text} — Homeward` : 'Homeward';
  },
  /** Run when the user signs out: pages forget what they held. */
  onReset(fn) {
    resetHooks.push(fn);
  },
  signedIn(session) {
    state.user = session.user;
    setCsrf(session.csrf_token);
    renderShell();
    const target = state.returnTo && state.returnTo !== '#/signin' ? state.returnTo : defaultRoute();
    state.returnTo = null;
    ctx.navigate(target);
  },
  async signOut() {
    try {
      await del('/session', {quiet401: true});
    } catch {
      // Signed out either way: the page forgets the session.
    }
    forget('You are signed out.');
  },
  takeSigninNotice() {
    const n = state.signinNotice;
    state.signinNotice = null;
    return n;
  },
};

function forget(notice) {
  state.user = null;
  setCsrf(null);
  for (const fn of resetHooks) fn();
  state.signinNotice = notice;
  renderShell();
  ctx.navigate('#/signin');
}

function defaultRoute() {
  if (!state.user) return '#/signin';
  return ctx.can('records.read') ? '#/caseload' : '#/dashboard';
}

function renderShell() {
  const nav = document.getElementById('nav');
  const userBox = document.getElementById('user');
  if (!state.user) {
    nav.hidden = true;
    userBox.hidden = true;
    replace(nav.querySelector('ul'));
    return;
  }
  const items = NAV.filter((n) => ctx.can(n.perm))
    .map((n) => h('li', null, h('a', {href: n.href, 'data-nav': n.id}, n.text)));
  replace(nav.querySelector('ul'), items);
  nav.hidden = false;
  replace(document.getElementById('user-label'),
    h('span', {class: 'user-email'}, state.user.email || ''),
    h('span', {class: 'user-role'}, ROLE_NAMES[state.user.role] || words(state.user.role)));
  userBox.hidden = false;
}

function markNav(id) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.nav === id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function notAllowed(main) {
  ctx.setTitle('Not available');
  replace(main,
    h('h1', {tabindex: '-1'}, 'Not available to your role'),
    h('p', null, 'Your role does not include this page. ',
      h('a', {href: defaultRoute()}, 'Go to your start page'), '.'));
}

function notFound(main) {
  ctx.setTitle('Not found');
  replace(main,
    h('h1', {tabindex: '-1'}, 'Page not found'),
    h('p', null, h('a', {href: defaultRoute()}, 'Go to your start page'), '.'));
}

function route() {
  const hash = location.hash || '';
  // In-page anchors (the skip link) are not routes.
  if (hash && !hash.startsWith('#/')) return;
  const main = document.getElementById('main');
  if (state.cleanup) {
    try {
      state.cleanup();
    } catch {
      // A page's cleanup failing must not stop the next page.
    }
    state.cleanup = null;
  }
  const path = hash.slice(1) || '/';
  if (!state.user) {
    if (path !== '/signin') {
      state.returnTo = path === '/' ? null : hash;
      history.replaceState(null, '', '#/signin');
    }
    markNav(null);
    state.cleanup = signin.render(main, [], ctx) || null;
    focusHeading(main);
    return;
  }
  if (path === '/' || path === '/signin') {
    history.replaceState(null, '', defaultRoute());
    route();
    return;
  }
  const found = ROUTES.find((r) => r.path.test(path));
  if (!found) {
    markNav(null);
    notFound(main);
    focusHeading(main);
    return;
  }
  markNav(found.nav);
  if (!ctx.can(found.perm)) {
    notAllowed(main);
    focusHeading(main);
    return;
  }
  const params = found.path.exec(path).slice(1);
  state.cleanup = found.page.render(main, params, ctx) || null;
  focusHeading(main);
}

function focusHeading(main) {
  if (state.firstRender) {
    state.firstRender = false;
    return;
  }
  // A page that put focus on its first field keeps it there.
  if (main.contains(document.activeElement) && document.activeElement !== main) return;
  const heading = main.querySelector('h1');
  if (heading) {
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({preventScroll: false});
  }
  window.scrollTo(0, 0);
}

async function start() {
  document.getElementById('skip').addEventListener('click', (ev) => {
    ev.preventDefault();
    const main = document.getElementById('main');
    main.focus();
    main.scrollIntoView();
  });
  document.getElementById('signout').addEventListener('click', () => ctx.signOut());
  setUnauthorizedHandler(() => {
    if (!state.user) return;
    state.returnTo = location.hash;
    forget('Your session ended. Sign in again to go on.');
  });
  try {
    const session = await get('/session', {quiet401: true});
    if (session && session.user) {
      state.user = session.user;
      setCsrf(session.csrf_token);
    }
  } catch (e) {
    if (!(e && e.status === 401)) state.signinNotice = describe(e);
  }
  renderShell();
  window.addEventListener('hashchange', route);
  route();
}

start();
