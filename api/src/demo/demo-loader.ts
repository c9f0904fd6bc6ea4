import type { DataSource } from 'typeorm';
import type { DecisionsRepository } from '../decisions/decisions.repository.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { LinkingService } from '../linking/linking.service.js';
import type { TeamsRepository } from '../teams/teams.repository.js';
import {
  type EventCounts,
  demoEvents,
  demoTeams,
  emptyCounts,
  inBatches,
} from './demo-generator.js';
import type { DemoOrganisation } from './demo-organisation.js';

// Loads a generated organisation into the database the way every other writer does: teams first
// (so incidents named by team are attributed), then the events through IngestService.write in one
// transaction per batch, then the decisions. Everything is an upsert or a compare-and-write, so a
// second run changes nothing.

export interface DemoLoaderDeps {
  dataSource: DataSource;
  ingest: IngestService;
  linking: LinkingService;
  teams: TeamsRepository;
  decisions: DecisionsRepository;
}

export interface Tally {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface DemoLoadReport {
  events: EventCounts;
  written: Tally;
  teams: Tally & { declaredInConfig: string[] };
  decisions: Tally;
  seconds: number;
}

export interface DemoLoadOptions {
  batchSize?: number;
  onBatch?: (done: number, written: Tally) => void;
}

export class DemoLoader {
  constructor(private readonly deps: DemoLoaderDeps) {}

  /** Whether any delivery or model data is stored (demo or real). */
  async hasData(): Promise<boolean> {
    const [row] = await this.deps.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM pull_requests) OR EXISTS (SELECT 1 FROM deployments)
         OR EXISTS (SELECT 1 FROM model_versions) AS present`,
    );
    return row.present === true;
  }

  async load(org: DemoOrganisation, options: DemoLoadOptions = {}): Promise<DemoLoadReport> {
    const started = Date.now();
    const teams = await this.writeTeams(org);
    const events = emptyCounts();
    const written: Tally = { inserted: 0, updated: 0, unchanged: 0 };
    let done = 0;
    for (const batch of inBatches(demoEvents(org), options.batchSize ?? 5_000)) {
      const result = await this.deps.dataSource.transaction((manager) =>
        this.deps.ingest.write(manager, batch),
      );
      for (const event of batch) events[event.type] += 1;
      written.inserted += result.inserted;
      written.updated += result.updated;
      written.unchanged += result.unchanged;
      done += batch.length;
      options.onBatch?.(done, written);
    }
    const decisions = await this.writeDecisions(org);
    return { events, written, teams, decisions, seconds: (Date.now() - started) / 1000 };
  }

  private async writeTeams(org: DemoOrganisation): Promise<DemoLoadReport['teams']> {
    const tally = { inserted: 0, updated: 0, unchanged: 0, declaredInConfig: [] as string[] };
    const stored = new Map((await this.deps.teams.list()).map((team) => [team.name, team]));
    const changed: string[] = [];
    for (const team of demoTeams(org)) {
      const existing = stored.get(team.name);
      if (existing?.origin === 'config') {
        // The config file owns that team; the demo does not overwrite it.
        tally.declaredInConfig.push(team.name);
        continue;
      }
      const same =
        existing !== undefined &&
        sameList(existing.repos, team.repos) &&
        sameList(existing.models.map(modelKey), team.models.map(modelKey));
      if (same) {
        tally.unchanged += 1;
        continue;
      }
      await this.deps.dataSource.transaction((manager) =>
        this.deps.teams.replace(manager, { ...team, origin: 'api' }),
      );
      tally[existing ? 'updated' : 'inserted'] += 1;
      changed.push(team.name);
    }
    if (changed.length > 0) {
      await this.deps.dataSource.transaction((manager) =>
        this.deps.linking.relinkTeamIncidents(manager, changed),
      );
    }
    return tally;
  }

  /** Decisions have no natural key: the demo's are recognised by their title. */
  private async writeDecisions(org: DemoOrganisation): Promise<Tally> {
    const tally: Tally = { inserted: 0, updated: 0, unchanged: 0 };
    const stored = await this.deps.decisions.list({});
    for (const decision of org.decisions) {
      const input = {
        ...decision,
        scope: { teams: decision.scope.teams, repos: [], models: [] },
      };
      const existing = stored.find((row) => row.title === decision.title);
      if (!existing) {
        await this.deps.decisions.insert(input);
        tally.inserted += 1;
      } else if (
        existing.kind === input.kind &&
        existing.vendor === input.vendor &&
        existing.description === input.description &&
        Date.parse(existing.effective_at) === Date.parse(input.effective_at) &&
        sameList(existing.scope.teams, input.scope.teams) &&
        existing.scope.repos.length === 0 &&
        existing.scope.models.length === 0
      ) {
        tally.unchanged += 1;
      } else {
        await this.deps.decisions.update(existing.id, input);
        tally.updated += 1;
      }
    }
    return tally;
  }
}

const modelKey = (model: { registry: string; model: string }) => `${model.registry}/${model.model}`;

function sameList(a: string[], b: string[]): boolean {
  const left = [...a].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((value, i) => value === right[i]);
}
