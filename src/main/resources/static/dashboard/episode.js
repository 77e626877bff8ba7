'use strict';
// One episode: grading, then each conversation turn by turn with per-call usage and logprobs.
(() => {
  const { api, fail, el, params, pct, num, int, usd, secs, when, bool, table } = Dash;
  const id = params.get('id');

  const pretty = (v) => typeof v === 'string' ? v : JSON.stringify(v, null, 2);

  function usage(call) {
    if (!call) return null;
    const parts = [`LLM call ${call.seq}`, `${call.latencyMs} ms`, `finish: ${call.finishReason || '–'}`,
      `in ${int(call.inputUncachedTokens)} (+${int(call.cacheReadTokens)} cached, +${int(call.cacheWriteTokens)} written)`,
      `out ${int(call.outputTokens)}` + (call.reasoningTokens ? ` (${int(call.reasoningTokens)} reasoning)` : ''),
      usd(call.costUsd), call.modelReported || call.modelRequested];
    if (call.attempts > 1) parts.push(`${call.attempts} attempts`);
    if (call.usageEstimated) parts.push('usage estimated');
    return el('div', { class: 'usage' }, parts.join(' · '),
      call.error ? el('div', { class: 'error', text: call.error }) : null,
      call.logprobs ? el('details', { class: 'logprobs' }, el('summary', { text: 'token logprobs' }),
        el('pre', { text: pretty(call.logprobs) })) : null);
  }

  function turn(m, call) {
    const toolCalls = Array.isArray(m.toolCalls) ? m.toolCalls : (m.toolCalls ? [m.toolCalls] : []);
    return el('div', { class: 'turn ' + m.role, 'data-seq': m.seq },
      el('div', { class: 'meta', text: `#${m.seq} · step ${m.step} · ${m.role}` + (m.name ? ` (${m.name})` : '') +
        (m.toolCallId ? ` · answers ${m.toolCallId}` : '') + ` · ${when(m.createdAt)}` }),
      m.content !== null && m.content !== undefined ? el('pre', { text: m.content }) : null,
      toolCalls.map((t) => el('div', { class: 'tool-call' }, el('strong', { text: 'tool call ' + (t.name || t.function?.name || '') }),
        el('pre', { text: pretty(t.arguments ?? t.function?.arguments ?? t) }))),
      m.role === 'assistant' ? usage(call) : null);
  }

  function conversation(c) {
    // Each step has one LLM call (its retries are counted in it), answered by that step's assistant message.
    const byStep = new Map(c.calls.map((call) => [call.step, call]));
    const shown = new Set();
    return el('section', { class: 'conversation' },
      el('h2', { text: `Attempt ${c.attempt} · ${c.status} · ${c.model} · ${c.protocol}` }),
      el('p', { class: 'meta', text: `${c.messages.length} messages, ${c.calls.length} LLM calls · sampling ${JSON.stringify(c.sampling)}` }),
      c.messages.map((m) => {
        const call = m.role === 'assistant' && !shown.has(m.step) ? byStep.get(m.step) : null;
        if (call) shown.add(m.step);
        return turn(m, call);
      }),
      // Calls without an answer (a failed last call, for instance) are listed after the turns.
      c.calls.filter((call) => !shown.has(call.step)).map((call) => el('div', { class: 'turn unanswered' },
        el('div', { class: 'meta', text: `step ${call.step} · LLM call without an answer` }), usage(call))));
  }

  (async () => {
    const d = await api('/api/dashboard/episodes/' + id);
    const e = d.episode;
    document.title = `rollout-batch · episode ${e.id}`;
    const ev = d.evaluation || {};
    Dash.render(
      el('h2', { text: `Episode #${e.id} · ${e.problemId} · sample ${e.sampleIndex}` }),
      el('p', {}, el('a', { href: `problem.html?run=${e.runId}&problem=${encodeURIComponent(e.problemId)}`, text: '‹ problem' }),
        ' · ', el('a', { href: 'run.html?id=' + e.runId, text: 'run #' + e.runId })),
      table('episode-figures', ['status', 'success (reward)', 'success (AIOpsLab)', 'reward', 'steps', 'time',
        'tokens in / out', 'cost', 'failure class', 'model'], [[e.status, bool(e.success), bool(e.aiopslabSuccess),
        num(e.reward), `${e.steps ?? '–'} / ${d.maxSteps}`, secs(e.seconds), `${int(e.inputTokens)} / ${int(e.outputTokens)}`,
        usd(e.costUsd), e.failureClass || '–', d.model]]),
      d.error ? el('p', { class: 'error', text: d.error }) : null,
      el('h2', { text: 'Submission and grading' }),
      el('div', { class: 'card', id: 'grading' },
        el('div', {}, el('strong', { text: 'submission: ' }), el('code', { text: ev.submission ?? d.solution ?? '–' })),
        el('div', { text: `AIOpsLab: ${bool(ev.aiopslab?.success)} · reward: ${bool(ev.reward?.success)} ${num(ev.reward?.value)}` }),
        el('details', {}, el('summary', { text: 'evaluation JSON' }), el('pre', { text: pretty(d.evaluation) }))),
      d.conversations.map(conversation));
  })().catch(fail);
})();
