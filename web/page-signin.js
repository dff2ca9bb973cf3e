// SPDX-License-Identifier: MIT
// Sign in: email and password, and a one-time code when the account has one.

import {post, describe} from './api.js';
import {h, replace, field, setFieldError} from './dom.js';

export function render(main, _params, ctx) {
  ctx.setTitle('Sign in');
  const notice = ctx.takeSigninNotice();
  const email = field({label: 'Email', name: 'email', type: 'email',
    attrs: {autocomplete: 'username', required: true, spellcheck: 'false'}});
  const password = field({label: 'Password', name: 'password', type: 'password',
    attrs: {autocomplete: 'current-password', required: true}});
  const totp = field({label: 'Code from your authenticator app', name: 'totp', type: 'text',
    hint: 'The 6-digit code your app shows now.',
    attrs: {autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: '6'}});
  totp.wrap.hidden = true;
  const alert = h('div', {class: 'alert', role: 'alert'});
  const button = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Sign in');
  const form = h('form', {class: 'signin-form', novalidate: true, 'aria-labelledby': 'signin-title'},
    email.wrap, password.wrap, totp.wrap, alert, button);

  function showAlert(text) {
    replace(alert, text ? h('p', null, text) : null);
    alert.classList.toggle('alert-error', Boolean(text));
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setFieldError(email, null);
    setFieldError(password, null);
    setFieldError(totp, null);
    showAlert('');
    if (!email.input.value.trim()) {
      setFieldError(email, 'Enter your email address.');
      email.input.focus();
      return;
    }
    if (!password.input.value) {
      setFieldError(password, 'Enter your password.');
      password.input.focus();
      return;
    }
    const body = {email: email.input.value.trim(), password: password.input.value};
    if (!totp.wrap.hidden) {
      const code = totp.input.value.replace(/\s/g, '');
      if (!/^\d{6}$/.test(code)) {
        setFieldError(totp, 'Enter the 6 digits your app shows.');
        totp.input.focus();
        return;
      }
      body.totp = code;
    }
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      const session = await post('/session', body, {quiet401: true});
      password.input.value = '';
      ctx.signedIn(session);
    } catch (e) {
      button.disabled = false;
      button.textContent = 'Sign in';
      if (e.status === 401 && e.code === 'totp_required') {
        const wasHidden = totp.wrap.hidden;
        totp.wrap.hidden = false;
        if (wasHidden) {
          showAlert('Your password is right. This account also needs the code from your authenticator app.');
        } else {
          setFieldError(totp, 'That code is not right, or it has expired. Enter the code your app shows now.');
        }
        totp.input.focus();
      } else if (e.status === 401) {
        showAlert(totp.wrap.hidden ? 'The email or password is not right.'
          : 'The email, password or code is not right.');
        password.input.focus();
      } else if (e.status === 422 && e.field === 'email') {
        setFieldError(email, e.message);
        email.input.focus();
      } else {
        showAlert(describe(e));
      }
    }
  });

  replace(main,
    h('div', {class: 'signin'},
      h('h1', {id: 'signin-title'}, 'Sign in to Homeward'),
      notice ? h('p', {class: 'notice', role: 'status'}, notice) : null,
      form,
      h('p', {class: 'muted small'},
        'Homeward holds criminal-history and personal data. Sign out when you leave this device.')));
  email.input.focus();
}
