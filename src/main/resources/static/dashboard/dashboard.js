// rollout-batch dashboard: no libraries, no network but this server. The token lives in sessionStorage and goes
// out as "Authorization: Bearer <token>" on every /api/dashboard call, as for the rest of the API.
'use strict';

const Dash = (() => {
  const TOKEN_KEY = 'rollout-batch-token';

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function showLogin(message) {
    const main = document.querySelector('main');
    main.replaceChildren(el('form', { id: 'login', class: 'card', onsubmit: (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
      location.reload();
    } }, el('h2', { text: 'Sign in' }), el('p', { text: message }),
      el('label', { for: 'token', text: 'API token (ROLLOUTS_API_TOKEN)' }),
      el('input', { id: 'token', type: 'password', autocomplete: 'off' }),
      el('button', { type: 'submit', text: 'Open' })));
  }

  async function api(path) {
    const headers = {};
    if (token()) headers.Authorization = 'Bearer ' + token();
    const response = await fetch(path, { headers });
    if (response.status === 401) {
      showLogin(token() ? 'The token was refused.' : 'This server needs its API token.');
      throw new Error('unauthorized');
    }
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.error || ('HTTP ' + response.status));
    }
    return body;
  }

  /** Replaces the page's content; null children are left out, arrays flattened. */
  function render(...children) {
    document.querySelector('main').replaceChildren(...children.flat(2).filter((c) => c !== null && c !== undefined));
  }

  function fail(error) {
    if (error.message === 'unauthorized') return;
    document.querySelector('main').append(el('p', { class: 'error', text: 'Error: ' + error.message }));
  }

  const params = new URLSearchParams(location.search);

  function pct(x) { return x === null || x === undefined ? '–' : (100 * x).toFixed(1) + ' %'; }
  function num(x, digits = 3) { return x === null || x === undefined ? '–' : Number(x).toFixed(digits); }
  function int(x) { return x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US'); }
  function usd(x) { return x === null || x === undefined ? 'unpriced' : '$' + Number(x).toFixed(6); }
  function secs(x) {
    if (x === null || x === undefined) return '–';
    if (x < 120) return x.toFixed(1) + ' s';
    if (x < 7200) return (x / 60).toFixed(1) + ' min';
    return (x / 3600).toFixed(1) + ' h';
  }
  function when(t) { return t ? t.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–'; }
  function bool(b) { return b === null || b === undefined ? '–' : (b ? '✔' : '✘'); }

  function table(id, headers, rows) {
    return el('table', { id, class: 'grid' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { text: h })))),
      el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c))))));
  }

  function pager(page, onPage) {
    const pageNo = Math.floor(page.offset / page.limit) + 1;
    const pages = Math.max(1, Math.ceil(page.total / page.limit));
    return el('div', { class: 'pager' },
      el('button', { disabled: pageNo <= 1 ? '' : null, onclick: () => onPage(pageNo - 1), text: '‹ prev' }),
      el('span', { text: ` page ${pageNo} of ${pages} (${page.total}) ` }),
      el('button', { disabled: pageNo >= pages ? '' : null, onclick: () => onPage(pageNo + 1), text: 'next ›' }));
  }

  // ---- charts: inline SVG ----------------------------------------------------------------------------------
  const SVG = 'http://www.w3.org/2000/svg'; // the SVG namespace name, not a download
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  /** Horizontal bars, one per item: {label, value (0..1 or any), low, high, text}. */
  function bars(id, items, { max = 1, width = 520 } = {}) {
    const row = 22, left = 170, plot = width - left - 150;
    const root = svg('svg', { id, class: 'chart', width, height: items.length * row + 10,
      viewBox: `0 0 ${width} ${items.length * row + 10}` });
    items.forEach((it, i) => {
      const y = 5 + i * row;
      const w = max > 0 ? Math.max(0, it.value || 0) / max * plot : 0;
      root.append(svg('text', { x: left - 6, y: y + 14, 'text-anchor': 'end', class: 'label' }, it.label));
      root.append(svg('rect', { x: left, y: y + 3, width: plot, height: 14, class: 'track' }));
      root.append(svg('rect', { x: left, y: y + 3, width: w, height: 14, class: 'bar' },
        svg('title', {}, `${it.label}: ${it.text}`)));
      if (it.low !== null && it.low !== undefined && it.high !== null && it.high !== undefined && max > 0) {
        const x1 = left + Math.max(0, it.low) / max * plot, x2 = left + Math.min(max, it.high) / max * plot;
        root.append(svg('line', { x1, x2, y1: y + 10, y2: y + 10, class: 'ci' }));
        root.append(svg('line', { x1, x2: x1, y1: y + 5, y2: y + 15, class: 'ci' }));
        root.append(svg('line', { x1: x2, x2, y1: y + 5, y2: y + 15, class: 'ci' }));
      }
      root.append(svg('text', { x: left + plot + 6, y: y + 14, class: 'value' }, it.text));
    });
    return root;
  }

  /** Vertical histogram of {low, high, count}. */
  function histogram(id, bins, width = 520, height = 160) {
    const root = svg('svg', { id, class: 'chart', width, height, viewBox: `0 0 ${width} ${height}` });
    const max = Math.max(1, ...bins.map((b) => b.count));
    const bw = (width - 20) / Math.max(1, bins.length);
    bins.forEach((b, i) => {
      const h = b.count / max * (height - 40);
      root.append(svg('rect', { x: 10 + i * bw + 1, y: height - 25 - h, width: bw - 2, height: h, class: 'bar',
        'data-count': b.count }, svg('title', {}, `[${b.low.toFixed(3)}, ${b.high.toFixed(3)}]: ${b.count}`)));
      root.append(svg('text', { x: 10 + i * bw + bw / 2, y: height - 28 - h, 'text-anchor': 'middle',
        class: 'value' }, b.count));
      if (i === 0 || i === bins.length - 1) {
        root.append(svg('text', { x: 10 + (i === 0 ? 0 : (i + 1) * bw), y: height - 8,
          'text-anchor': i === 0 ? 'start' : 'end', class: 'label' }, (i === 0 ? b.low : b.high).toFixed(2)));
      }
    });
    return root;
  }

  /** Lines over time: series = [{name, points: [{t (ms), v}]}]. */
  function lines(id, series, width = 520, height = 180) {
    const root = svg('svg', { id, class: 'chart', width, height, viewBox: `0 0 ${width} ${height}` });
    const pts = series.flatMap((s) => s.points);
    if (!pts.length) return root;
    const t0 = Math.min(...pts.map((p) => p.t)), t1 = Math.max(...pts.map((p) => p.t));
    const vmax = Math.max(1, ...pts.map((p) => p.v));
    const x = (t) => 50 + (t1 === t0 ? 0 : (t - t0) / (t1 - t0) * (width - 70));
    const y = (v) => height - 25 - v / vmax * (height - 45);
    root.append(svg('text', { x: 4, y: 14, class: 'label' }, `${Math.round(vmax)} ms`));
    root.append(svg('line', { x1: 50, x2: width - 20, y1: height - 25, y2: height - 25, class: 'axis' }));
    series.forEach((s, i) => {
      root.append(svg('polyline', { points: s.points.map((p) => `${x(p.t)},${y(p.v)}`).join(' '),
        class: 'series s' + i, fill: 'none' }));
      root.append(svg('text', { x: 60 + i * 70, y: height - 6, class: 'legend s' + i }, s.name));
    });
    return root;
  }

  // A signed-in tab can forget its token.
  document.addEventListener('DOMContentLoaded', () => {
    if (!token()) return;
    document.querySelector('header').append(el('a', { href: '#', id: 'sign-out', text: 'Sign out', onclick: (e) => {
      e.preventDefault();
      sessionStorage.removeItem(TOKEN_KEY);
      location.reload();
    } }));
  });

  return { api, fail, render, el, params, pct, num, int, usd, secs, when, bool, table, pager, bars, histogram, lines };
})();
