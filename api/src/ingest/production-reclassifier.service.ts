import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { LinkingService } from '../linking/linking.service.js';
import { productionRule } from './production-rule.js';

/**
 * Deployments re-classified and re-linked per transaction (and so the longest the linking lock is
 * held for it, about 1.4 s at the benchmark's size: 89,601 deployments took 124 s).
 */
const CHUNK = 1_000;

/**
 * Applies the production rule to the deployments already stored, after a pattern changed (the
 * config file's, read at start, or a source's, changed through the API), and re-links those whose
 * classification it changes, as a batch bringing them again would. What a deployment shipped,
 * the PRs' deployed_at, incident attribution and change failures all follow.
 */
@Injectable()
export class ProductionReclassifier implements BeforeApplicationShutdown {
  private readonly logger = new Logger('production');
  private running: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly linking: LinkingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Starts a re-classification after the one running, if any. The server goes on serving
   * meanwhile: with a long history it takes minutes, and each chunk is consistent on its own.
   */
  start(): void {
    this.running = this.running
      .then(() => this.reclassify())
      .catch((error: unknown) => {
        this.logger.error(`re-classifying stored deployments failed: ${(error as Error).message}`);
      });
  }

  /** Resolves when no re-classification is running. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** A shutdown waits for the chunk in hand; the next start does the rest. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Returns how many deployments changed classification. */
  async reclassify(): Promise<number> {
    // One row per source and environment: the rule depends on nothing else.
    const groups: {
      source: string;
      environment: string;
      any_production: boolean;
      all_production: boolean;
    }[] = await this.dataSource.query(
      `SELECT source, environment, bool_or(is_production) AS any_production,
         bool_and(is_production) AS all_production
       FROM deployments GROUP BY source, environment`,
    );
    const isProduction = await productionRule(
      this.dataSource.manager,
      groups.map((group) => group.source),
      this.config,
    );
    const started = Date.now();
    let changed = 0;
    for (const group of groups) {
      const wanted = isProduction(group.source, group.environment);
      if (group.any_production === wanted && group.all_production === wanted) continue;
      for (let done = CHUNK; done === CHUNK && !this.stopping; changed += done) {
        done = await this.dataSource.transaction(async (manager) => {
          await this.linking.lock(manager);
          const rows: { id: string; repo: string }[] = await manager.query(
            `WITH changed AS (
               UPDATE deployments d SET is_production = $3
               WHERE d.id IN (SELECT id FROM deployments
                              WHERE source = $1 AND environment = $2 AND is_production <> $3
                              ORDER BY id LIMIT ${CHUNK})
               RETURNING d.id, d.repo
             ) SELECT id, repo FROM changed`,
            [group.source, group.environment, wanted],
          );
          await this.linking.relink(manager, {
            pullRequestIds: [],
            deploymentIds: rows.map((row) => Number(row.id)),
            incidentIds: [],
            repos: new Set(rows.map((row) => row.repo)),
            models: new Set(),
          });
          return rows.length;
        });
      }
    }
    if (changed > 0) {
      this.logger.log(
        `${changed} stored deployments changed production classification; re-linked in ${Date.now() - started} ms`,
      );
    }
    return changed;
  }
}
