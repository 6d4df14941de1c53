import { api, get, ProblemError } from './api.js';
import { h, clear, percent, time, weightsText, debounce } from './dom.js';
import { weightBar, sparkline } from './charts.js';

const WINDOW = 15 * 60 * 1000;

// The figures a verdict was based on: "canary: 120 requests, 0.8% errors, p99 12 ms; blue: …; checkout-errors = 0.002 (max 0.01)".
const limits = (m) => [m.min != null ? `min ${m.min}` : null, m.max != null ? `max ${m.max}` : null].filter(Boolean).join(', ');
const figures = (verdict) => [verdict.candidate, verdict.stable]
  .map((c) => `${c.cluster}: ${c.requests} requests, ${(100 * c.errorRate).toFixed(1)}% errors, p99 ${c.p99LatencyMs} ms`)
  .concat((verdict.metrics || []).map((m) => `${m.name} ${m.value != null ? `= ${m.value}` : `inconclusive: ${m.detail}`} (${limits(m)})`))
  .join('; ');

// One route: traffic per version, the rollout's timeline, the mirror, the audit trail, and (Operator) every action.
export function renderRoute(main, context, id) {
  const path = `/api/routes/${encodeURIComponent(id)}`;
  const reason = h('input', { id: 'reason', name: 'reason', maxlength: 500, placeholder: 'why (recorded in the audit trail)' });
  const sections = {
    summary: h('section', { id: 'summary', class: 'card' }),
    traffic: h('section', { id: 'traffic', class: 'card' }),
    rollout: h('section', { id: 'rollout', class: 'card' }),
    mirror: h('section', { id: 'mirror', class: 'card' }),
    experiments: h('section', { id: 'experiments', class: 'card' }),
    flags: h('section', { id: 'flags', class: 'card' }),
    history: h('section', { id: 'history', class: 'card wide' }),
  };
  const series = new Map(); // cluster -> [{at, requests, failures, p99Milliseconds}]
  let route = null;
  let etag = null;
  let rollout = null;
  let interval = 5;
  let countdown = null;
  let counting = false; // one of the route's experiments is running

  clear(main,
    h('p', {}, h('a', { href: '#/' }, '← all routes')),
    h('h1', {}, `Route ${id}`),
    context.canAct ? h('p', { class: 'reason' }, h('label', { for: 'reason' }, 'Reason for changes '), reason) : null,
    h('div', { class: 'cards' }, Object.values(sections)));
  main.focus();

  // Runs a change through the admin API after a confirmation that names it; its problem details are shown in words.
  async function act(description, method, url, body, headers) {
    if (!(await context.confirm(description))) return;
    try {
      await api(method, url, body, headers);
      context.toast(`Done: ${description}`);
      await Promise.all([loadRoute(), loadRollout(), loadMirror(), loadHistory(), loadExperiments(), loadFlags()]);
    } catch (error) {
      context.failed(error);
    }
  }

  const why = () => (reason.value.trim() ? { reason: reason.value.trim() } : undefined);
  const button = (label, onclick, attributes = {}) => h('button', { type: 'button', class: 'action', onclick, ...attributes }, label);

  async function loadRoute() {
    try {
      const answer = await api('GET', path);
      route = answer.data;
      etag = answer.etag;
      drawSummary();
    } catch (error) {
      if (error instanceof ProblemError && error.status === 404) clear(sections.summary, h('p', {}, error.message));
      else context.failed(error);
    }
  }

  function drawSummary() {
    const health = new Map(route.clusters.map((c) => [c.cluster, c]));
    const clusters = Object.keys(route.weights);
    const inputs = clusters.map((cluster) => h('input', {
      type: 'number', min: 0, max: 100, step: 0.01, name: cluster, id: `weight-${cluster}`, value: route.weights[cluster], 'aria-label': `weight of ${cluster}`,
    }));
    clear(sections.summary,
      h('h2', {}, 'Split'),
      h('p', { class: 'muted' }, `revision ${route.revision} · stable ${route.stable}`),
      context.canAct ? button('Roll back to stable', () => act(`Roll back ${id}: all new traffic to ${route.stable}`, 'POST', `${path}/rollback`, why()), { id: 'rollback', class: 'action danger big' }) : null,
      h('ul', { class: 'weights' }, clusters.map((cluster) => {
        const status = health.get(cluster);
        const effective = route.effectiveWeights[cluster] ?? 0;
        return h('li', { class: 'weight', 'data-cluster': cluster, 'data-configured': route.weights[cluster], 'data-effective': effective },
          h('span', { class: 'cluster' }, cluster, cluster === route.stable ? h('span', { class: 'tag' }, 'stable') : null),
          weightBar(route.weights[cluster], effective, `${cluster}: configured ${route.weights[cluster]}%, effective ${effective}%`),
          h('span', { class: 'figures' }, `${percent(route.weights[cluster])} → ${percent(effective)}`),
          status ? h('span', { class: `breaker ${status.breaker.toLowerCase()}`, 'data-breaker': status.breaker },
            `${status.breaker} · ${status.healthyDestinations}/${status.totalDestinations} healthy${status.reason ? ` · ${status.reason}` : ''}`) : null,
          context.canAct && status ? (status.breaker === 'Isolated' || status.breaker === 'Open'
            ? button(`Reset ${cluster}`, () => act(`Reset the breaker of ${cluster}`, 'POST', `/api/clusters/${encodeURIComponent(cluster)}/reset`, why()))
            : button(`Isolate ${cluster}`, () => act(`Isolate ${cluster}: no new traffic until reset`, 'POST', `/api/clusters/${encodeURIComponent(cluster)}/isolate`, { reason: reason.value.trim() || 'isolated from the console' }))) : null);
      })),
      context.canAct ? h('form', { id: 'weights-form', class: 'inline', onsubmit: (event) => {
        event.preventDefault();
        const weights = Object.fromEntries(inputs.map((input) => [input.name, Number(input.value)]));
        act(`Set ${id} to ${weightsText(weights)}${reason.value.trim() ? ` (${reason.value.trim()})` : ''}`, 'PUT', `${path}/weights`, { weights, ...why() }, etag ? { 'If-Match': etag } : {});
      } },
        inputs.map((input) => h('label', {}, input.name, input)),
        h('button', { type: 'submit', class: 'action primary', id: 'apply-weights' }, 'Set weights')) : null,
      context.canAct ? h('p', { class: 'inline' },
        clusters.filter((c) => c !== route.stable).map((cluster) =>
          button(`Promote ${cluster}`, () => act(`Promote ${cluster}: it becomes stable with 100% of ${id}`, 'POST', `${path}/promote`, { cluster, ...why() }))),
        button('Undo last change', () => act(`Undo revision ${route.revision} of ${id}`, 'POST', `${path}/undo`, why()), { id: 'undo' })) : null);
  }

  async function loadTraffic() {
    try {
      const history = await get(`${path}/traffic`);
      for (const [cluster, points] of Object.entries(history)) series.set(cluster, points);
      drawTraffic();
    } catch (error) {
      context.failed(error);
    }
  }

  function drawTraffic() {
    const clusters = [...series.keys()];
    const cutoff = Date.now() - WINDOW;
    const totals = [];
    for (const cluster of clusters) series.set(cluster, series.get(cluster).filter((p) => Date.parse(p.at) >= cutoff));
    const latest = clusters.map((cluster) => series.get(cluster).at(-1));
    const sum = latest.reduce((total, p) => total + (p?.requests ?? 0), 0);
    clear(sections.traffic,
      h('h2', {}, 'Traffic (last 15 minutes)'),
      clusters.length === 0 ? h('p', { class: 'muted' }, 'No samples yet.') : h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, ['version', 'share', 'requests/s', 'errors', 'p99'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, clusters.map((cluster, i) => {
          const points = series.get(cluster);
          const rate = points.map((p) => p.requests / interval);
          const errors = points.map((p) => (p.requests ? p.failures / p.requests : 0));
          const p99 = points.map((p) => p.p99Milliseconds);
          const last = latest[i];
          totals.push(last?.requests ?? 0);
          return h('tr', { 'data-cluster': cluster },
            h('th', { scope: 'row' }, cluster),
            h('td', {}, sum ? percent((100 * (last?.requests ?? 0)) / sum) : '–'),
            h('td', {}, sparkline(rate, `${cluster} requests per second`), ` ${(rate.at(-1) ?? 0).toFixed(1)}`),
            h('td', {}, sparkline(errors, `${cluster} error rate`, 1), ` ${percent(100 * (errors.at(-1) ?? 0))}`),
            h('td', {}, sparkline(p99, `${cluster} p99 latency`), ` ${(p99.at(-1) ?? 0).toFixed(0)} ms`));
        })))));
  }

  // Only a route that has (or had, on this page) a rollout is asked for it: no 404 to log for the others.
  async function loadRollout(announced = false) {
    if (!announced && !route?.rollout && !rollout) {
      drawRollout();
      return;
    }
    try {
      rollout = await get(`${path}/rollouts/current`);
    } catch (error) {
      if (!(error instanceof ProblemError && error.status === 404)) context.failed(error);
      rollout = null;
    }
    drawRollout();
  }

  function drawRollout() {
    clearInterval(countdown);
    if (!rollout) {
      clear(sections.rollout, h('h2', {}, 'Rollout'), h('p', { class: 'muted' }, 'No rollout on this route yet.'));
      return;
    }
    const active = ['Progressing', 'Paused', 'Waiting', 'RollingBack'].includes(rollout.phase);
    const walking = rollout.phase === 'RollingBack'; // a gradual rollback takes only an abort (all traffic to stable at once)
    const gate = rollout.gate;
    const next = h('span', { id: 'rollout-countdown' });
    const tick = () => {
      const seconds = rollout.nextActionAt ? Math.max(0, Math.round((Date.parse(rollout.nextActionAt) - Date.now()) / 1000)) : null;
      next.textContent = seconds === null ? '' : ` in ${seconds} s`;
    };
    tick();
    countdown = setInterval(tick, 1000);
    const verdict = rollout.verdicts[0];
    clear(sections.rollout,
      h('h2', {}, `Rollout #${rollout.id}: ${rollout.candidate}${rollout.dryRun ? ' (dry run)' : ''}`),
      h('p', {}, h('strong', { id: 'rollout-phase' }, rollout.phase), ' · ',
        h('span', { id: 'rollout-step' }, `step ${rollout.step + 1}/${rollout.stepCount}`), ' · ', weightsText(rollout.weights)),
      h('ol', { class: 'steps', 'aria-label': 'steps' }, Array.from({ length: rollout.stepCount }, (_, i) =>
        h('li', { class: i < rollout.step ? 'done' : i === rollout.step ? 'current' : '' }, `step ${i + 1}`))),
      verdict ? h('p', { id: 'rollout-verdict', class: `verdict ${verdict.verdict}` }, `${verdict.verdict} at ${time(verdict.at)}: ${verdict.summary} (${figures(verdict)})`) : h('p', { id: 'rollout-verdict', class: 'muted' }, 'No verdict yet.'),
      rollout.nextAction ? h('p', { id: 'rollout-next' }, `Next: ${rollout.nextAction}`, next) : null,
      gate ? h('p', { id: 'rollout-gate', class: 'verdict inconclusive' },
        `Waiting at the ${gate.manual ? 'manual ' : ''}${gate.type} gate '${gate.hook}' before ${gate.before} since ${time(gate.since)}`
        + (gate.lastAnswer ? `: it ${gate.lastAnswer}` : '')) : null,
      context.canAct && active ? h('p', { class: 'inline' },
        rollout.phase === 'Waiting' && gate?.manual
          ? button('Approve', () => act(`Approve the manual ${gate.type} gate '${gate.hook}' of rollout #${rollout.id}: ${gate.before} goes ahead`, 'POST', `${path}/rollouts/current/approve`, why()), { id: 'rollout-approve' })
          : null,
        walking ? null : rollout.phase === 'Paused'
          ? button('Resume', () => act(`Resume rollout #${rollout.id} of ${id}`, 'POST', `${path}/rollouts/current/resume`), { id: 'rollout-resume' })
          : button('Pause', () => act(`Pause rollout #${rollout.id} of ${id}`, 'POST', `${path}/rollouts/current/pause`), { id: 'rollout-pause' }),
        walking ? null : button('Promote now', () => act(`Promote ${rollout.candidate} now, ending rollout #${rollout.id}`, 'POST', `${path}/rollouts/current/promote`), { id: 'rollout-promote' }),
        button('Abort', () => act(`Abort rollout #${rollout.id}: traffic back to ${rollout.stable}`, 'POST', `${path}/rollouts/current/abort`), { id: 'rollout-abort', class: 'action danger' })) : null,
      h('details', {}, h('summary', {}, 'Timeline'),
        h('ol', { class: 'timeline' }, [...rollout.events].reverse().map((e) => h('li', {}, h('time', {}, time(e.at)), ' ', e.message)))),
      rollout.verdicts.length > 1 ? h('details', {}, h('summary', {}, 'Verdicts'),
        h('ol', { class: 'timeline' }, rollout.verdicts.map((v) => h('li', {}, h('time', {}, time(v.at)), ` step ${v.step + 1} ${v.verdict}: ${v.summary} (${figures(v)})`)))) : null);
  }

  async function loadMirror() {
    try {
      const mirror = await get(`${path}/mirror`);
      drawMirror(mirror);
    } catch (error) {
      context.failed(error);
    }
  }

  // What differs in the mirror's answers, per endpoint (GET …/mirror/diffs): the top fields and the fields learned as noise.
  async function loadDiffs(target) {
    try {
      const diffs = await get(`${path}/mirror/diffs`);
      const rate = (r) => (r == null ? '–' : `${(r * 100).toFixed(1)}%`);
      clear(target,
        h('h3', {}, 'Answer differences'),
        h('p', { class: 'muted' }, `${diffs.compared} compared · ${diffs.differing} differing (${rate(diffs.diffRate)})`
          + Object.entries(diffs.notCompared).filter(([, v]) => v > 0).map(([k, v]) => ` · ${k} ${v}`).join('')),
        diffs.endpoints.length ? h('div', { class: 'scroll' }, h('table', { id: 'mirror-diffs' },
          h('thead', {}, h('tr', {}, ['endpoint', 'compared', 'differ', 'fields', 'noise'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, diffs.endpoints.map((e) => h('tr', {},
            h('td', {}, e.endpoint), h('td', {}, e.compared), h('td', {}, rate(e.diffRate)),
            h('td', {}, e.fields.map((f) => `${f.field} ×${f.count} (${f.example.primary ?? '–'} → ${f.example.other ?? '–'})`).join('; ') || '–'),
            h('td', {}, e.noise.map((n) => `${n.field} ${rate(n.noiseRate)}`).join('; ') || '–')))))) : null);
    } catch (error) {
      clear(target); // no comparison of answers on this route (404) or the store is down: the summary above stays
    }
  }

  function drawMirror(mirror) {
    const comparison = mirror.comparison;
    const cluster = h('input', { id: 'mirror-cluster', name: 'cluster', 'aria-label': 'mirror cluster', placeholder: 'cluster' });
    const diffs = h('div', { id: 'mirror-answers' });
    const share = h('input', { id: 'mirror-percentage', name: 'percentage', type: 'number', min: 0, max: 100, step: 0.01, value: 10, 'aria-label': 'mirror percentage' });
    clear(sections.mirror,
      h('h2', {}, 'Mirror'),
      mirror.enabled
        ? h('p', {}, `${mirror.settings.percentage}% of requests copied to ${mirror.settings.cluster} (${mirror.source}) since ${time(mirror.since)}`)
        : h('p', { class: 'muted' }, 'No mirror.'),
      comparison ? h('p', { class: 'muted' }, `sent ${comparison.sent} · ` + Object.entries(comparison.results).map(([k, v]) => `${k} ${v}`).join(' · ')
        + ` · p99 primary ${comparison.primary.p99Ms ?? '–'} ms, mirror ${comparison.mirror.p99Ms ?? '–'} ms`) : null,
      context.canAct ? h('form', { class: 'inline', onsubmit: (event) => {
        event.preventDefault();
        act(`Mirror ${share.value}% of ${id} to ${cluster.value}`, 'PUT', `${path}/mirror`, { cluster: cluster.value, percentage: Number(share.value), ...why() });
      } }, cluster, share, h('button', { type: 'submit', class: 'action' }, 'Set mirror'),
        mirror.enabled ? button('Clear mirror', () => act(`Stop mirroring ${id}`, 'DELETE', `${path}/mirror`, why())) : null) : null,
      diffs);
    if (mirror.enabled) loadDiffs(diffs);
  }

  // The route's A/B experiments: each arm's exposed and converted users, the outcome in words, SRM; stop / promote the winner.
  async function loadExperiments() {
    try {
      const experiments = await get(`${path}/experiments`);
      counting = experiments.some((e) => e.state === 'running');
      clear(sections.experiments, h('h2', {}, 'Experiments'),
        experiments.length === 0 ? h('p', { class: 'muted' }, 'No experiment.') : experiments.map((e) => h('div', { class: 'experiment', 'data-experiment': e.name },
          h('h3', {}, `${e.name} · ${e.state}`),
          h('p', { class: `outcome ${e.outcome.verdict}` }, e.outcome.text),
          h('div', { class: 'scroll' }, h('table', {},
            h('thead', {}, h('tr', {}, ['arm', 'allocation', 'exposed', `converted (${e.primaryGoal})`].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, e.arms.map((a) => h('tr', {}, h('td', {}, a.arm, a.control ? ' (control)' : ''), h('td', {}, `${a.allocation}%`), h('td', {}, a.exposed),
              h('td', {}, a.goals[e.primaryGoal] ? `${a.goals[e.primaryGoal].converted} (${(100 * a.goals[e.primaryGoal].rate).toFixed(1)}%)` : '–')))))),
          context.canAct && e.state === 'running' ? h('p', {},
            e.outcome.winner ? button(`Promote ${e.outcome.winner}`, () => act(`Stop ${e.name} and promote ${e.outcome.winner}`, 'POST', `${path}/experiments/${encodeURIComponent(e.name)}/promote`, { arm: e.outcome.winner, ...why() })) : null,
            button('Stop', () => act(`Stop experiment ${e.name}`, 'POST', `${path}/experiments/${encodeURIComponent(e.name)}/stop`, why()))) : null)));
    } catch (error) {
      context.failed(error);
    }
  }

  // The feature flags this route's requests carry (X-Proxy-Flags): state, default, rollout; kill switch and re-enable.
  async function loadFlags() {
    try {
      const flags = (await get('/api/flags')).filter((f) => f.routes.some((r) => r === '*' || r.toLowerCase() === id.toLowerCase()));
      clear(sections.flags, h('h2', {}, 'Feature flags'),
        flags.length === 0 ? h('p', { class: 'muted' }, 'No flag on this route.') : h('ul', { class: 'flags' }, flags.map((f) => h('li', { 'data-flag': f.name },
          h('strong', {}, f.name), ` ${f.enabled ? 'on' : 'killed'} · default ${f.default}`,
          Object.keys(f.rollout).length ? ` · rollout ${Object.entries(f.rollout).map(([v, p]) => `${v} ${p}%`).join(', ')}` : '', ` (${f.source})`,
          context.canAct ? (f.enabled
            ? button('Kill', () => act(`Kill flag ${f.name}: every request gets its default`, 'POST', `/api/flags/${encodeURIComponent(f.name)}/kill`, why()), { class: 'action danger' })
            : button('Enable', () => act(`Enable flag ${f.name}`, 'POST', `/api/flags/${encodeURIComponent(f.name)}/enable`, why()))) : null))));
    } catch (error) {
      context.failed(error);
    }
  }

  async function loadHistory() {
    try {
      const entries = await get(`${path}/history?limit=20`);
      clear(sections.history, h('h2', {}, 'Audit trail'), h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, ['rev', 'at', 'actor', 'action', 'before', 'after', 'reason'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, entries.map((e) => h('tr', {},
          h('td', {}, e.revision), h('td', {}, time(e.at)), h('td', {}, e.actor), h('td', {}, e.action),
          h('td', {}, e.before ? weightsText(e.before.weights) : '–'), h('td', {}, e.after ? weightsText(e.after.weights) : '–'), h('td', {}, e.reason ?? '')))))));
    } catch (error) {
      context.failed(error);
    }
  }

  const concerns = (data) => (data.route ?? '').toLowerCase() === id.toLowerCase() || (data.routes ?? []).some((r) => r.toLowerCase() === id.toLowerCase());
  context.on('split', (data) => { if (concerns(data)) { loadRoute(); loadHistory(); } });
  context.on('breaker', debounce((data) => { if (concerns(data)) loadRoute(); }, 100));
  context.on('rollout', (data) => { if (concerns(data)) { loadRollout(true); loadRoute(); } });
  context.on('mirror', (data) => { if (concerns(data)) drawMirror(data.mirror); });
  context.on('gap', () => { loadRoute(); loadRollout(); loadMirror(); loadHistory(); loadTraffic(); loadExperiments(); loadFlags(); });
  // Exposures (and a new or ended experiment) come with this route's traffic; conversions with any route's, since a goal is a
  // request on any route, which matters only while an experiment counts. The filter runs before the debounce: the last call
  // of a burst wins, and another route's event last would drop this route's reload.
  const reloadExperiments = debounce(loadExperiments, 1000);
  context.on('traffic', (data) => { if (counting || concerns(data)) reloadExperiments(); });
  context.on('traffic', (data) => {
    if (!concerns(data)) return;
    interval = data.intervalSeconds;
    for (const point of data.clusters) series.set(point.cluster, [...(series.get(point.cluster) ?? []), point]);
    drawTraffic();
  });

  loadRoute().then(loadRollout);
  loadTraffic();
  loadMirror();
  loadExperiments();
  loadFlags();
  loadHistory();
  return { dispose() { clearInterval(countdown); } };
}
