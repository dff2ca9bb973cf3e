// SPDX-License-Identifier: MIT
// Small helpers to build DOM nodes without innerHTML: every piece of record
// data goes in as text, so nothing a record holds can become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(el, c);
    return;
  }
  el.append(child instanceof Node ? child : document.createTextNode(String(child)));
}

function setAttrs(el, attrs, isSvg) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (!isSvg && (key === 'value' || key === 'checked' || key === 'selected' || key === 'open')) {
      el[key] = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

/** h('a', {href: '#/x', class: 'link'}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs, false);
  append(el, children);
  return el;
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs, true);
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

let idCounter = 0;
/** A unique id for label/for and aria-describedby pairs. */
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Text only a screen reader reads. */
export function srOnly(text) {
  return h('span', {class: 'visually-hidden'}, text);
}

/** A decorative inline SVG icon (hidden from assistive technology). */
export function icon(name) {
  const paths = {
    check: 'M4 10.5l4 4 8-9',
    cross: 'M5 5l10 10M15 5L5 15',
    question: 'M7.5 7.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5V12M10 15.2v.3',
    back: 'M12 4l-6 6 6 6',
    clock: 'M10 5v5l3 2M10 2.5a7.5 7.5 0 1 0 0 15a7.5 7.5 0 1 0 0-15',
  };
  return s('svg', {class: `icon icon-${name}`, viewBox: '0 0 20 20', width: 20, height: 20,
    'aria-hidden': 'true', focusable: 'false'},
  s('path', {d: paths[name] || '', fill: 'none', stroke: 'currentColor', 'stroke-width': 2.2,
    'stroke-linecap': 'round', 'stroke-linejoin': 'round'}));
}

/**
 * A labelled form field. Returns {wrap, input, error} where error is the
 * element that shows a validation message for this field.
 */
export function field({label, name, type = 'text', value, hint, attrs = {}, options}) {
  const id = uid(name);
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  let input;
  if (options) {
    input = h('select', {id, name, ...attrs},
      options.map(([v, text]) => h('option', {value: v, selected: String(value ?? '') === String(v)}, text)));
  } else if (type === 'textarea') {
    input = h('textarea', {id, name, ...attrs});
    input.value = value ?? '';
  } else {
    input = h('input', {id, name, type, ...attrs});
    if (type === 'checkbox') input.checked = Boolean(value);
    else if (value !== undefined && value !== null) input.value = value;
  }
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describedBy);
  const error = h('p', {id: errId, class: 'field-error', hidden: true});
  const lab = h('label', {for: id}, label);
  const wrap = type === 'checkbox'
    ? h('div', {class: 'field field-check'}, input, lab, error)
    : h('div', {class: 'field'}, lab, hint ? h('p', {id: hintId, class: 'hint'}, hint) : null, input, error);
  return {wrap, input, error};
}

export function setFieldError(f, message) {
  if (message) {
    f.error.textContent = message;
    f.error.hidden = false;
    f.input.setAttribute('aria-invalid', 'true');
  } else {
    f.error.textContent = '';
    f.error.hidden = true;
    f.input.removeAttribute('aria-invalid');
  }
}

/** A table wrapped in a box that scrolls on its own on a narrow screen. */
export function tableBox(label, table) {
  return h('div', {class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0'}, table);
}
