'use strict';
// Two runs side by side, problem by problem.
(() => {
  const { api, fail, el, params, pct, num, int, usd, table, pager } = Dash;

  function chooser() {
    return el('form', { class: 'filters card', method: 'get' },
      el('div', {}, el('label', { for: 'a', text: 'run A' }), el('input', { id: 'a', name: 'a', value: params.get('a') || '', size: 6 })),
      el('div', {}, el('label', { for: 'b', text: 'run B' }), el('input', { id: 'b', name: 'b', value: params.get('b') || '', size: 6 })),
      el('button', { type: 'submit', text: 'Compare' }));
  }

  const side = (s) => `${pct(s.successRate)} (${s.succeeded}/${s.finished})`;

  async function load(pageNo) {
    const a = params.get('a'), b = params.get('b');
    if (!a || !b) {
      Dash.render(el('h2', { text: 'Compare two runs' }), chooser());
      return;
    }
    const c = await api(`/api/dashboard/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}&size=50&page=${pageNo}`);
    const head = (r) => `#${r.id} ${r.runDate} ${r.model}`;
    Dash.render(el('h2', { text: 'Compare two runs' }), chooser(),
      table('compare-runs', ['', 'A', 'B'], [
        ['run', el('a', { href: 'run.html?id=' + c.a.id, text: head(c.a) }), el('a', { href: 'run.html?id=' + c.b.id, text: head(c.b) })],
        ['episodes', int(c.a.episodes), int(c.b.episodes)],
        ['success (reward)', pct(c.a.successRate), pct(c.b.successRate)],
        ['success (AIOpsLab)', pct(c.a.aiopslabSuccessRate), pct(c.b.aiopslabSuccessRate)],
        ['tokens in / out', `${int(c.a.inputTokens)} / ${int(c.a.outputTokens)}`, `${int(c.b.inputTokens)} / ${int(c.b.outputTokens)}`],
        ['cost', usd(c.a.costUsd), usd(c.b.costUsd)]]),
      el('h2', { text: 'Problem by problem' }),
      table('compare-problems', ['problem', 'task type', 'A success', 'B success', 'B − A', 'A AIOpsLab', 'B AIOpsLab',
        'A mean reward', 'B mean reward'], c.problems.items.map((p) => [p.problemId, p.taskType, side(p.a), side(p.b),
        el('span', { class: p.successDelta > 0 ? 'ok' : p.successDelta < 0 ? 'bad' : '',
          text: p.successDelta === null ? '–' : (p.successDelta > 0 ? '+' : '') + (100 * p.successDelta).toFixed(1) + ' pt' }),
        pct(p.a.aiopslabSuccessRate), pct(p.b.aiopslabSuccessRate), num(p.a.meanReward), num(p.b.meanReward)])),
      pager(c.problems, (n) => load(n).catch(fail)));
  }

  load(1).catch(fail);
})();
