'use strict';
// Runs list: filters in the query string, live progress by polling while any run is running.
(() => {
  const { api, fail, el, params, pct, int, usd, secs, when, table, pager } = Dash;
  let timer = null;

  function filters(models) {
    const field = (name, label, input) => el('div', {}, el('label', { for: name, text: label }), input);
    const modelSelect = el('select', { id: 'model', name: 'model' }, el('option', { value: '', text: 'any' }),
      models.map((m) => el('option', { value: m, text: m, selected: params.get('model') === m ? '' : null })));
    return el('form', { class: 'filters card', id: 'filters', method: 'get' },
      field('from', 'from date', el('input', { id: 'from', name: 'from', type: 'date', value: params.get('from') || '' })),
      field('to', 'to date', el('input', { id: 'to', name: 'to', type: 'date', value: params.get('to') || '' })),
      field('model', 'model', modelSelect),
      field('status', 'status', el('select', { id: 'status', name: 'status' },
        ['', 'running', 'completed', 'budget_exhausted', 'failed'].map((s) =>
          el('option', { value: s, text: s || 'any', selected: params.get('status') === s ? '' : null })))),
      el('button', { type: 'submit', text: 'Filter' }));
  }

  async function load(pageNo) {
    const q = new URLSearchParams();
    for (const k of ['from', 'to', 'model', 'status']) if (params.get(k)) q.set(k, params.get(k));
    q.set('page', pageNo);
    q.set('size', 25);
    const page = await api('/api/dashboard/runs?' + q);
    const rows = page.items.map((r) => [
      el('a', { href: 'run.html?id=' + r.id, class: 'run-link', text: '#' + r.id }),
      r.runDate, r.model, r.status,
      el('span', { class: 'progress', title: pct(r.progress) },
        el('span', { style: `width:${(100 * r.progress).toFixed(1)}%` })),
      `${int(r.finished)} / ${int(r.episodes)}` + (r.running ? ` (${r.running} running)` : ''),
      pct(r.successRate), pct(r.aiopslabSuccessRate),
      `${int(r.inputTokens)} / ${int(r.outputTokens)}`, usd(r.costUsd), secs(r.durationSeconds), when(r.startedAt),
      el('input', { type: 'checkbox', class: 'pick', value: r.id }),
    ]);
    const list = document.getElementById('runs-area');
    list.replaceChildren(
      table('runs', ['run', 'date', 'model', 'status', 'progress', 'finished / episodes', 'success (reward)',
        'success (AIOpsLab)', 'tokens in / out', 'cost', 'duration', 'started', 'compare'], rows),
      pager(page, (p) => load(p)),
      el('button', { id: 'compare-picked', text: 'Compare two picked runs', onclick: () => {
        const picked = [...document.querySelectorAll('.pick:checked')].map((c) => c.value);
        if (picked.length === 2) location.href = `compare.html?a=${picked[1]}&b=${picked[0]}`;
      } }));
    clearTimeout(timer);
    if (page.items.some((r) => r.status === 'running')) timer = setTimeout(() => load(pageNo).catch(fail), 3000);
  }

  (async () => {
    const models = await api('/api/dashboard/models');
    Dash.render(el('h2', { text: 'Runs' }), filters(models), el('div', { id: 'runs-area' }));
    await load(1);
  })().catch(fail);
})();
