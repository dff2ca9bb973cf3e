// SPDX-License-Identifier: MIT
// Money, dates and words, formatted the same way everywhere.

const dollars = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD'});
const wholeDollars = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD',
  maximumFractionDigits: 0, minimumFractionDigits: 0});
const numbers = new Intl.NumberFormat('en-US');
const civil = new Intl.DateTimeFormat('en-US', {year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC'});
const civilTime = new Intl.DateTimeFormat('en-US', {year: 'numeric', month: 'short', day: 'numeric',
  hour: 'numeric', minute: '2-digit', timeZone: 'UTC'});

/** Integer cents as dollars: 41200 -> "$412.00". */
export function money(cents) {
  if (cents === null || cents === undefined || cents === '') return '—';
  return dollars.format(Number(cents) / 100);
}

/** Whole dollars for chart axes and tiles: 4998812 -> "$49,988". */
export function moneyShort(cents) {
  if (cents === null || cents === undefined) return '—';
  return wholeDollars.format(Math.round(Number(cents) / 100));
}

export function num(n) {
  if (n === null || n === undefined || n === '') return '—';
  return numbers.format(Number(n));
}

export function percent(fraction, digits = 1) {
  if (fraction === null || fraction === undefined || !Number.isFinite(Number(fraction))) return '—';
  return `${(Number(fraction) * 100).toFixed(digits)}%`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})/;

/** A civil date "2026-03-10" as "Mar 10, 2026". */
export function date(iso) {
  if (!iso) return '—';
  const m = DATE_RE.exec(iso);
  if (!m) return String(iso);
  return civil.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/**
 * A time with its offset ("2026-03-10T14:00:00-05:00") as the clock on the
 * wall where it happens: "Mar 10, 2026, 2:00 PM". The offset is not
 * converted to the reader's zone: an appointment is at its place's time.
 */
export function wallTime(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return date(iso);
  return civilTime.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
}

/** Age in whole years on a civil date (today by default). */
export function age(dob, today = new Date()) {
  const m = DATE_RE.exec(dob || '');
  if (!m) return null;
  let years = today.getFullYear() - Number(m[1]);
  const mm = today.getMonth() + 1;
  if (mm < Number(m[2]) || (mm === Number(m[2]) && today.getDate() < Number(m[3]))) years -= 1;
  return years;
}

/** "supervised_release" -> "supervised release"; the first letter as given. */
export function words(value) {
  if (value === null || value === undefined || value === '') return '—';
  return String(value).replace(/_/g, ' ');
}

export function capital(text) {
  const t = String(text ?? '');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function plural(n, one, many = `${one}s`) {
  return `${num(n)} ${Number(n) === 1 ? one : many}`;
}

export const STATUS_LABELS = {
  eligible: 'Eligible',
  eligible_on: 'Eligible on a date',
  needs_review: 'Needs review',
  ineligible: 'Ineligible',
};

export function statusLabel(status) {
  return STATUS_LABELS[status] || capital(words(status));
}

/** A person's full name, family name last. */
export function fullName(p) {
  if (!p) return '';
  return [p.given_name, p.middle_name, p.family_name].filter(Boolean).join(' ');
}

/** "Family, Given" for sorted lists. */
export function sortName(p) {
  if (!p) return '';
  const given = [p.given_name, p.middle_name].filter(Boolean).join(' ');
  return given ? `${p.family_name}, ${given}` : (p.family_name || '');
}

/** Dollars typed by a person ("1,250.50", "$40") as integer cents, or null. */
export function parseDollars(text) {
  const t = String(text ?? '').trim().replace(/[$,\s]/g, '');
  if (t === '') return null;
  if (!/^\d+(\.\d{0,2})?$/.test(t)) return NaN;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

/** The browser's UTC offset now, as "+HH:MM" or "-HH:MM". */
export function localOffset(d = new Date()) {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A rule's citations as [{cite, url, note}], from "citation" text or a "citations" list. */
export function citationsOf(x) {
  if (!x) return [];
  if (Array.isArray(x.citations)) {
    return x.citations.map((c) => (typeof c === 'string' ? {cite: c} : c)).filter((c) => c && c.cite);
  }
  if (typeof x.citation === 'string' && x.citation) return [{cite: x.citation}];
  return [];
}

/** The first citation's words, or ''. */
export function citationText(x) {
  const c = citationsOf(x);
  return c.length ? c[0].cite : '';
}

const instantFormat = new Intl.DateTimeFormat('en-US', {year: 'numeric', month: 'short', day: 'numeric',
  hour: 'numeric', minute: '2-digit'});

/** A moment ("2026-12-03T07:15:35Z") in the reader's own time zone. */
export function instant(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : instantFormat.format(d);
}
