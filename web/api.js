// SPDX-License-Identifier: MIT
// The JSON API client: one place for the CSRF token, errors and sign-outs.

const BASE = '/api/v1';

let csrfToken = null;
let onUnauthorized = null;

export function setCsrf(token) {
  csrfToken = token || null;
}

/** Called when a request other than sign-in answers 401: the session ended. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

const MESSAGES = {
  0: 'The server could not be reached. Check the connection and try again.',
  400: 'The request was not understood.',
  401: 'Please sign in.',
  403: 'Your role may not do this.',
  404: 'Not found.',
  409: 'This conflicts with a change made since.',
  413: 'That is too large to send.',
  422: 'A field is not valid.',
  429: 'Too many tries. Wait a while and try again.',
  500: 'The server failed. Try again; if it keeps failing, tell your administrator.',
};

export class ApiError extends Error {
  constructor(status, code, field, message, retryAfter) {
    super(message || MESSAGES[status] || `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.retryAfter = retryAfter ?? null;
  }
}

/** Query string from an object; empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    q.set(k, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export async function api(method, path, body, {signal, quiet401 = false} = {}) {
  const headers = {Accept: 'application/json'};
  const init = {method, headers, credentials: 'same-origin', signal, cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', null, MESSAGES[0]);
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && type.includes('json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const e = new ApiError(res.status, err.code || `http_${res.status}`, err.field,
      err.message, res.headers.get('Retry-After'));
    if (res.status === 401 && !quiet401 && onUnauthorized) onUnauthorized(e);
    throw e;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body ?? {}, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

/** A list answer's rows, whether the API sent {items: [...]} or a bare array. */
export function itemsOf(data, key = 'items') {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data[key])) return data[key];
  if (data && Array.isArray(data.items)) return data.items;
  return [];
}

/** A plain-language sentence for an error, for an alert. */
export function describe(e) {
  if (!e) return '';
  if (e instanceof ApiError) {
    if (e.status === 429 && e.retryAfter) {
      const secs = Number(e.retryAfter);
      if (Number.isFinite(secs)) {
        const mins = Math.max(1, Math.ceil(secs / 60));
        return `${e.message} Try again in ${mins} minute${mins === 1 ? '' : 's'}.`;
      }
    }
    return e.message;
  }
  return 'Something went wrong in the page. Reload it and try again.';
}
