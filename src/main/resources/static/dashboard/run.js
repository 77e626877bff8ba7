'use strict';
// One run: headline figures, charts, failure classes, spend by model, latency, per-problem table.
(() => {
  const { api, fail, el, params, pct, num, int, usd, secs, when, table, pager, bars, histogram, lines } = Dash;
  const id = params.get('id');

  const figure = (key, value, fid) => el('div', { class: 'figure' }, el('div', { class: 'v', id: fid, text: value }),
    el('div', { class: 'k', text: key }));
  const passAt = (m) => Object.entries(m || {}).map(([k, v]) => `@${k} ${pct(v)}`).join('  ');
  const ci = (g) => g.meanReward === null ? '–'
    : `${num(g.meanReward)} [${num(g.rewardCiLow)}, ${num(g.rewardCiHigh)}]`;
  const episodeLink = (e) => el('a', { href: 'episode.html?id=' + e.id, text: `#${e.id} ${e.problemId} s${e.sampleIndex}` });

  async function problems(pageNo) {
    const page = await api(`/api/dashboard/runs/${id}/problems?size=25&page=${pageNo}`);
    document.getElementById('problems-area').replaceChildren(
      table('problems', ['problem', 'task type', 'samples', 'success (reward)', 'success (AIOpsLab)',
        'mean reward [95 % CI]', 'pass@k (reward)', 'pass@k (AIOpsLab)'], page.items.map((p) => [
        el('a', { class: 'problem-link', href: `problem.html?run=${id}&problem=${encodeURIComponent(p.key)}`,
          text: p.key }),
        p.taskType, int(p.finished), pct(p.successRate), pct(p.aiopslabSuccessRate), ci(p), passAt(p.passAtK),
        passAt(p.aiopslabPassAtK)])),
      pager(page, (n) => problems(n).catch(fail)));
  }

  function render(d) {
    const r = d.run;
    document.title = `rollout-batch · run ${r.id}`;
    const lat = d.latency;
    Dash.render(
      el('h2', { text: `Run #${r.id} · ${r.runDate} · ${r.model} · ${r.status}` }),
      el('p', { class: 'muted', text: `${r.problemsSource} · policy ${r.policy} · environment ${r.environment}` +
        ` · started ${when(r.startedAt)}` + (r.endedAt ? ` · ended ${when(r.endedAt)}` : '') }),
      el('div', { class: 'figures' },
        figure('episodes', int(r.episodes), 'fig-episodes'),
        figure('finished', `${int(r.finished)} (${pct(r.progress)})`, 'fig-finished'),
        figure('success (reward)', pct(r.successRate), 'fig-success'),
        figure('success (AIOpsLab)', pct(r.aiopslabSuccessRate), 'fig-aiopslab'),
        figure('tokens in / out', `${int(r.inputTokens)} / ${int(r.outputTokens)}`, 'fig-tokens'),
        figure('cost', usd(r.costUsd), 'fig-cost'),
        figure('duration', secs(r.durationSeconds), 'fig-duration'),
        figure('LLM latency p50 / p90 / p99', lat.calls ? `${num(lat.p50, 0)} / ${num(lat.p90, 0)} / ${num(lat.p99, 0)} ms` : '–', 'fig-latency')),
      el('h2', { text: 'By task type' }),
      el('div', { class: 'cols' },
        bars('chart-task-success', d.byTaskType.map((t) => ({ label: t.key, value: t.successRate, text: pct(t.successRate) }))),
        bars('chart-task-reward', d.byTaskType.map((t) => ({ label: t.key, value: t.meanReward, low: t.rewardCiLow,
          high: t.rewardCiHigh, text: ci(t) })), { max: Math.max(1, ...d.byTaskType.map((t) => t.rewardCiHigh || t.meanReward || 0)) })),
      table('task-types', ['task type', 'problems', 'episodes', 'success (reward)', 'success (AIOpsLab)',
        'mean reward [95 % CI]', 'pass@k (reward)', 'pass@k (AIOpsLab)'], d.byTaskType.map((t) => [t.key,
        int(t.problems), int(t.episodes), pct(t.successRate), pct(t.aiopslabSuccessRate), ci(t), passAt(t.passAtK),
        passAt(t.aiopslabPassAtK)])),
      el('div', { class: 'cols' },
        el('div', {}, el('h2', { text: 'Reward distribution' }), histogram('chart-reward', d.rewardHistogram)),
        el('div', {}, el('h2', { text: d.failureClassesRecorded ? 'Failure classes' : 'Unsuccessful episodes by status' }),
          bars('chart-failures', d.failureClasses.map((f) => ({ label: f.key, value: f.count, text: String(f.count) })),
            { max: Math.max(1, ...d.failureClasses.map((f) => f.count)) }))),
      el('h2', { text: 'Tokens and cost by model' }),
      table('by-model', ['model', 'conversations', 'LLM calls', 'input tokens', 'cache read', 'output tokens',
        'reasoning', 'cost', 'unpriced calls'], d.byModel.map((m) => [m.model, int(m.conversations), int(m.llmCalls),
        int(m.inputTokens), int(m.cacheReadTokens), int(m.outputTokens), int(m.reasoningTokens), usd(m.costUsd),
        int(m.unpricedCalls)])),
      el('h2', { text: `LLM latency over time (${int(lat.calls)} calls)` }),
      lines('chart-latency', ['p50', 'p90', 'p99'].map((q) => ({ name: q,
        points: lat.overTime.map((b) => ({ t: Date.parse(b.from), v: b[q] })) }))),
      el('div', { class: 'cols' },
        el('div', {}, el('h2', { text: 'Slowest episodes' }), table('slowest', ['episode', 'time', 'status'],
          d.slowest.map((e) => [episodeLink(e), secs(e.seconds), e.status]))),
        el('div', {}, el('h2', { text: 'Most expensive episodes' }), table('expensive', ['episode', 'cost', 'tokens'],
          d.mostExpensive.map((e) => [episodeLink(e), usd(e.costUsd), int(e.inputTokens + e.outputTokens)])))),
      el('h2', { text: 'By problem' }), el('div', { id: 'problems-area' }));
  }

  async function load() {
    const d = await api('/api/dashboard/runs/' + id);
    const firstTime = !document.getElementById('problems-area');
    render(d);
    await problems(1);
    if (d.run.status === 'running') setTimeout(() => load().catch(fail), 15000);
    return firstTime;
  }

  load().catch(fail);
})();
