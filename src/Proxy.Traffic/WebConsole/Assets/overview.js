import { get } from './api.js';
import { h, clear, percent, debounce } from './dom.js';
import { weightBar } from './charts.js';

// Every route: configured vs effective weights, clusters' breakers and health, revision, rollout, mirror, fleet.
export function renderOverview(main, context) {
  const list = h('div', { id: 'routes', class: 'cards' });
  const fleetLine = h('p', { id: 'fleet', class: 'muted' });
  clear(main, h('h1', {}, 'Routes'), fleetLine, list);
  main.focus();

  async function load() {
    try {
      const [routes, fleet] = await Promise.all([get('/api/routes'), get('/api/fleet').catch(() => null)]);
      const instances = fleet?.instances?.length ?? 1;
      fleetLine.textContent = `${instances} gateway instance${instances === 1 ? '' : 's'}`;
      clear(list, routes.length === 0 ? h('p', {}, 'No route has a split.') : routes.map((route) => card(route, fleet?.routes?.[route.route])));
    } catch (error) {
      context.failed(error);
    }
  }

  context.on(['split', 'breaker', 'rollout', 'mirror', 'config', 'fleet', 'gap'], debounce(load, 150));
  load();
  return { dispose() {} };
}

function card(route, fleet) {
  const health = new Map(route.clusters.map((c) => [c.cluster, c]));
  const rows = Object.entries(route.weights).map(([cluster, weight]) => {
    const effective = route.effectiveWeights[cluster] ?? 0;
    const status = health.get(cluster);
    return h('li', { class: 'weight', 'data-cluster': cluster, 'data-configured': weight, 'data-effective': effective },
      h('span', { class: 'cluster' }, cluster, cluster === route.stable ? h('span', { class: 'tag' }, 'stable') : null),
      weightBar(weight, effective, `${cluster}: configured ${weight}%, effective ${effective}%`),
      h('span', { class: 'figures' }, `${percent(weight)} → ${percent(effective)}`),
      status ? h('span', { class: `breaker ${status.breaker.toLowerCase()}`, 'data-breaker': status.breaker },
        `${status.breaker} · ${status.healthyDestinations}/${status.totalDestinations} healthy`) : null);
  });

  return h('article', { class: 'card route', 'data-route': route.route },
    h('h2', {}, h('a', { href: `#/routes/${encodeURIComponent(route.route)}` }, route.route)),
    h('p', { class: 'muted' },
      h('span', { 'data-field': 'revision' }, `revision ${route.revision}`),
      fleet ? ` · ${fleet.inForce}/${fleet.instances} at revision ${fleet.revision}` : ''),
    h('p', { class: 'legend muted' }, 'configured → effective'),
    h('ul', { class: 'weights' }, rows),
    route.rollout ? h('p', { class: 'rollout' }, `Rollout #${route.rollout.id} of ${route.rollout.candidate}: ${route.rollout.phase}, step ${route.rollout.step + 1}/${route.rollout.stepCount}`) : null,
    route.mirror?.enabled ? h('p', { class: 'mirror' }, `Mirroring ${route.mirror.settings.percentage}% to ${route.mirror.settings.cluster}`) : null);
}
