// SPDX-License-Identifier: MIT
// Bar charts drawn as inline SVG. Bars are sized in percent of the chart's
// width, so a chart fits any screen without measuring it, while its text
// stays at its real size. Every chart has a title and a description for
// assistive technology, and its numbers as a table below it.

import {h, s, uid, tableBox} from './dom.js';
import {num} from './format.js';

const ROW_LABEL = 18;  // a line of the category's name, above its bars
const BAR = 18;
const GAP = 4;
const ROW_GAP = 14;

/**
 * categories: [{label, values: [number, ...]}]
 * series: [{name, className}] (one per value; className picks the colour in app.css)
 * format: number -> text
 */
export function barChart({title, summary, categories, series, format = num, empty = 'No data yet.'}) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const figure = h('figure', {class: 'chart'});
  const caption = h('figcaption', {class: 'chart-title'}, title);
  if (!categories.length) {
    figure.append(caption, h('p', {class: 'muted'}, empty));
    return figure;
  }
  const max = Math.max(1, ...categories.flatMap((c) => c.values.map((v) => Number(v) || 0)));
  const svg = s('svg', {class: 'bars', width: '100%', role: 'img',
    'aria-labelledby': `${titleId} ${descId}`, focusable: 'false'});
  const box = h('div', {class: 'chart-box'}, svg);
  let drawnFor = 0;

  // Labels wrap to the width the chart has, so it is drawn again when that changes.
  function draw(width) {
    if (!width || Math.abs(width - drawnFor) < 8) return;
    drawnFor = width;
    const chars = Math.max(24, Math.floor(width / 7.6));
    const rows = categories.map((c) => ({...c, lines: wrap(c.label, chars, 3)}));
    const heights = rows.map((r) => r.lines.length * ROW_LABEL + series.length * (BAR + GAP) + ROW_GAP);
    while (svg.firstChild) svg.firstChild.remove();
    svg.setAttribute('height', String(heights.reduce((a, b) => a + b, 0)));
    svg.append(s('title', {id: titleId}, title),
      s('desc', {id: descId}, summary || describe(categories, series, format)));
    let y0 = 0;
    rows.forEach((c, i) => {
      c.lines.forEach((line, k) => {
        svg.append(s('text', {x: 0, y: y0 + 14 + k * ROW_LABEL, class: 'bar-label'}, line));
      });
      c.values.forEach((v, j) => {
        const value = Number(v) || 0;
        // Bars use at most 60% of the width; their value is written after them.
        const pct = (value / max) * 60;
        const y = y0 + c.lines.length * ROW_LABEL + j * (BAR + GAP);
        svg.append(s('rect', {x: 0, y, width: `${Math.max(pct, value > 0 ? 0.6 : 0)}%`, height: BAR, rx: 2,
          class: `bar ${(c.classNames && c.classNames[j]) || series[j].className || `series-${j}`}`}));
        svg.append(s('text', {x: `${pct}%`, dx: 6, y: y + BAR - 4, class: 'bar-value'},
          series.length > 1 ? `${format(value)} ${series[j].name.toLowerCase()}` : format(value)));
      });
      y0 += heights[i];
    });
  }
  draw(600);
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver((entries) => {
      for (const e of entries) draw(Math.round(e.contentRect.width));
    }).observe(box);
  }
  const legend = series.length > 1
    ? h('ul', {class: 'legend', 'aria-hidden': 'true'}, series.map((se, j) =>
      h('li', null, h('span', {class: `swatch ${se.className || `series-${j}`}`}), se.name)))
    : null;
  const table = h('table', {class: 'data compact'},
    h('caption', {class: 'visually-hidden'}, title),
    h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Category'),
      series.map((se) => h('th', {scope: 'col', class: 'num'}, se.name)))),
    h('tbody', null, categories.map((c) => h('tr', null, h('th', {scope: 'row'}, c.label),
      c.values.map((v) => h('td', {class: 'num'}, format(Number(v) || 0)))))));
  figure.append(...[caption, legend, box,
    h('details', {class: 'chart-data'}, h('summary', null, 'Show the numbers'), tableBox(`${title}: numbers`, table))]
    .filter(Boolean));
  return figure;
}

/** Split text into at most maxLines lines of about width characters. */
function wrap(text, width, maxLines) {
  const out = [];
  let line = '';
  for (const w of String(text).split(/\s+/)) {
    if (line && (line + ' ' + w).length > width) {
      out.push(line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) out.push(line);
  if (out.length > maxLines) {
    const kept = out.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, width - 1)}…`;
    return kept;
  }
  return out;
}

function describe(categories, series, format) {
  const parts = categories.slice(0, 25).map((c) => `${c.label}: ${c.values.map((v, j) =>
    series.length > 1 ? `${format(Number(v) || 0)} ${series[j].name.toLowerCase()}` : format(Number(v) || 0)).join(', ')}`);
  const more = categories.length > 25 ? `; and ${categories.length - 25} more` : '';
  return `${parts.join('; ')}${more}.`;
}

/** A bar that shows a part of a whole (spent of a budget), with its words. */
export function meter({label, value, max, text}) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  const id = uid('meter');
  return h('div', {class: 'meter'},
    h('p', {id, class: 'meter-label'}, label, ': ', h('strong', null, text)),
    s('svg', {width: '100%', height: 16, role: 'img', 'aria-labelledby': id, focusable: 'false', class: 'meter-svg'},
      s('rect', {x: 0, y: 0, width: '100%', height: 16, rx: 4, class: 'meter-track'}),
      s('rect', {x: 0, y: 0, width: `${pct}%`, height: 16, rx: 4, class: 'meter-fill'})));
}
