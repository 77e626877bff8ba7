'use strict';
// One problem of a run: its samples, each linking to its episode.
(() => {
  const { api, fail, el, params, pct, num, int, usd, secs, bool, table, pager, histogram } = Dash;
  const run = params.get('run');
  const problem = params.get('problem');

  async function load(pageNo) {
    const figures = await api(`/api/dashboard/runs/${run}/problems?size=500`);
    const p = figures.items.find((x) => x.key === problem);
    const page = await api(`/api/dashboard/runs/${run}/episodes?problem_id=${encodeURIComponent(problem)}&size=50&page=${pageNo}`);
    const rewards = await api(`/api/dashboard/runs/${run}/rewards?problem_id=${encodeURIComponent(problem)}`);
    Dash.render(
      el('h2', { text: problem }),
      el('p', {}, el('a', { href: 'run.html?id=' + run, text: '‹ run #' + run })),
      p ? el('p', { id: 'problem-figures', text: `${p.taskType} · ${int(p.finished)} samples · success ${pct(p.successRate)}` +
        ` (AIOpsLab ${pct(p.aiopslabSuccessRate)}) · mean reward ${num(p.meanReward)} [${num(p.rewardCiLow)}, ${num(p.rewardCiHigh)}]` +
        ` · ` + Object.entries(p.passAtK).map(([k, v]) => `pass@${k} ${pct(v)}`).join(' · ') }) : null,
      table('episodes', ['episode', 'sample', 'status', 'success (reward)', 'success (AIOpsLab)', 'reward', 'steps',
        'time', 'tokens in / out', 'cost', 'failure class'], page.items.map((e) => [
        el('a', { class: 'episode-link', href: 'episode.html?id=' + e.id, text: '#' + e.id }), e.sampleIndex, e.status,
        bool(e.success), bool(e.aiopslabSuccess), num(e.reward), e.steps ?? '–', secs(e.seconds),
        `${int(e.inputTokens)} / ${int(e.outputTokens)}`, usd(e.costUsd), e.failureClass || '–'])),
      pager(page, (n) => load(n).catch(fail)),
      el('h2', { text: 'Reward distribution of the samples' }), histogram('chart-problem-reward', rewards));
  }

  load(1).catch(fail);
})();
