import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type GitlabSource, gitlabSourceSchema, type LastmileEvent } from '@lastmile/collectors';
import type { PAYLOAD_TABLES } from '../../ingest/ingest.repository.js';
import { storedEvent } from '../webhook-deliveries.js';

const STORED_TIMES = {
  pull_request: ['pull_requests', 'GREATEST(merged_at, closed_at)'],
  deployment: ['deployments', 'finished_at'],
  incident: ['incidents', 'resolved_at'],
} as const;

@Injectable()
export class GitlabWebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** GitLab sources that accept webhooks (config-declared ones are synced into the table at boot). */
  async sourcesWithSecrets(): Promise<GitlabSource[]> {
    const rows: { config: unknown }[] = await this.dataSource.query(
      `SELECT config FROM sources WHERE kind = 'gitlab' AND config ? 'webhook_secret_env' ORDER BY name`,
    );
    // Stored configs were checked when written; parsing fills the defaults an older row may lack,
    // and a row this version cannot read is no source to deliver to.
    return rows.flatMap((row) => {
      const parsed = gitlabSourceSchema.safeParse(row.config);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /**
   * The latest time a stored row says its object reached (an MR's merge or close, a deployment's
   * or pipeline's finish, an incident's resolution), whoever stored it; null when it has none.
   */
  async latestStoredTime(
    manager: EntityManager,
    kind: 'pull_request' | 'deployment' | 'incident',
    source: string,
    nativeId: string,
  ): Promise<Date | null> {
    const [table, time] = STORED_TIMES[kind];
    const [row]: { at: Date | null }[] = await manager.query(
      `SELECT ${time} AS at FROM ${table} WHERE source = $1 AND native_id = $2`,
      [source, nativeId],
    );
    return row?.at ?? null;
  }

  /** The stored version of an event (its raw payload), to keep what a delivery does not carry. */
  stored(
    manager: EntityManager,
    type: keyof typeof PAYLOAD_TABLES,
    source: string,
    nativeId: string,
  ): Promise<LastmileEvent | undefined> {
    return storedEvent(manager, type, source, nativeId);
  }
}
