import type { LastmileEvent, ModelStageEvent } from '@lastmile/collectors';
import {
  DEMO_REGISTRY,
  DEMO_SOURCE,
  type DemoModel,
  type DemoOrganisation,
} from './demo-organisation.js';
import { Prng, seedOf } from './prng.js';
import { DAY, HOUR, iso } from './work-clock.js';

// One registered model's history in the "mlflow-prod" registry: versions registered by training
// runs, some staged, some promoted to production (by stage or by alias), the previous production
// version archived or its alias moved, now and then a promotion rolled back, and retirement.

const POLL = 10 * 60_000;

export function modelHistory(
  org: DemoOrganisation,
  model: DemoModel,
  versionsPerWeek: number,
): LastmileEvent[] {
  const random = new Prng(seedOf(org.options.seed, 'model', model.name));
  const events: LastmileEvent[] = [];
  const span = org.end - org.start;
  const from = org.start + model.startsAt * span;
  const until = model.retiresAt === null ? org.end : org.start + model.retiresAt * span;
  const ordinals = new Map<string, number>();

  const stage = (
    version: string,
    environment: string,
    action: 'promote' | 'demote',
    at: number,
  ) => {
    const key = `${version}/${environment}/${action}`;
    const ordinal = (ordinals.get(key) ?? 0) + 1;
    ordinals.set(key, ordinal);
    const event: ModelStageEvent = {
      type: 'model_stage',
      id: `${DEMO_REGISTRY}/${model.name}/${key}/${ordinal}`,
      source: DEMO_SOURCE,
      registry: DEMO_REGISTRY,
      model: model.name,
      version,
      action,
      at: iso(at),
      environment,
    };
    // Stage changes carry the registry's last_updated_timestamp; alias moves are only seen by the
    // next poll. A quarter of either arrives by webhook, with its exact time.
    if (random.chance(0.25)) {
      event.precision = 'exact';
    } else if (model.promotesBy === 'stage') {
      event.precision = 'registry';
    } else {
      event.at = iso(Math.ceil(at / POLL) * POLL);
      event.precision = 'observed';
      event.precision_seconds = POLL / 1000;
    }
    events.push(event);
  };

  const meanGap = (7 * DAY) / versionsPerWeek;
  let number = 0;
  const planned: { version: string; at: number; staged: boolean; rollbackAfter: number | null }[] =
    [];
  for (
    let created = from + random.exponential(meanGap);
    created < until;
    created += random.exponential(meanGap)
  ) {
    number += 1;
    const version = String(number);
    events.push({
      type: 'model_version',
      id: `${DEMO_REGISTRY}/${model.name}/${version}`,
      source: DEMO_SOURCE,
      registry: DEMO_REGISTRY,
      model: model.name,
      version,
      created_at: iso(created),
      run_id: random.hex(32),
      run_started_at: iso(created - random.logNormal(3, 0.6) * HOUR),
    });

    const stagedAt = created + random.logNormal(12, 0.7) * HOUR;
    const staged = random.chance(0.7) && stagedAt < until;
    if (staged) stage(version, 'staging', 'promote', stagedAt);

    const leadDays = random.logNormal(
      model.team.profile.modelLeadDays * org.speed(model.team, created),
      0.4,
    );
    const promotedAt = Math.max(created + leadDays * DAY, staged ? stagedAt + HOUR : 0);
    const rollbackAfter = random.chance(0.05) ? random.logNormal(36, 0.6) * HOUR : null;
    if (random.chance(0.6) && promotedAt < until) {
      planned.push({ version, at: promotedAt, staged, rollbackAfter });
    } else if (staged) {
      const archivedAt = created + random.int(14, 42) * DAY;
      if (archivedAt < org.end) stage(version, 'staging', 'demote', archivedAt);
    }
  }

  // Promotions in time order, whatever the order of registration: each one moves the alias (or
  // archives the previous production version), so exactly one version is in production.
  planned.sort((a, b) => a.at - b.at);
  let production: string | null = null;
  planned.forEach((promotion, i) => {
    if (production !== null) stage(production, 'production', 'demote', promotion.at);
    stage(promotion.version, 'production', 'promote', promotion.at);
    if (promotion.staged) stage(promotion.version, 'staging', 'demote', promotion.at);
    const previous: string | null = production;
    production = promotion.version;
    if (previous === null || promotion.rollbackAfter === null) return;
    // Rolled back: the new version is demoted and the previous one promoted again.
    const backAt = promotion.at + promotion.rollbackAfter;
    if (backAt < Math.min(until, planned[i + 1]?.at ?? Infinity)) {
      stage(promotion.version, 'production', 'demote', backAt);
      stage(previous, 'production', 'promote', backAt);
      production = previous;
    }
  });
  if (model.retiresAt !== null && production !== null)
    stage(production, 'production', 'demote', until);
  return events;
}
