import type { DeliveryResult } from '../webhook.contract.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  gitlabWebhookEvents,
  hookProject,
  type LastmileEvent,
  ROUTED_GITLAB_EVENTS,
  tracksProject,
} from '@lastmile/collectors';
import { sameSecret } from '../../common/auth.guard.js';
import { BadRequestError, DomainError, ValidationFailedError } from '../../common/errors.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { IngestService } from '../../ingest/ingest.service.js';
import { recordObjectVersion, recordWebhookDelivery } from '../webhook-deliveries.js';
import { objectVersion, type ObjectVersion, payloadProblems } from './gitlab-payload.schema.js';
import { GitlabWebhooksRepository } from './gitlab-webhooks.repository.js';

export interface GitlabDelivery {
  body: Buffer | undefined;
  event: string | undefined;
  token: string | undefined;
  idempotencyKey: string | undefined;
}

export type GitlabDeliveryResult = DeliveryResult;

export class InvalidGitlabTokenError extends DomainError {
  constructor() {
    super(
      401,
      'invalid_token',
      'X-Gitlab-Token does not match the webhook secret of any GitLab source (the value of its webhook_secret_env).',
    );
  }
}

@Injectable()
export class GitlabWebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: GitlabWebhooksRepository,
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async receive(delivery: GitlabDelivery): Promise<GitlabDeliveryResult> {
    if (!delivery.body)
      throw new BadRequestError(
        'invalid_body',
        'Send the payload as JSON (Content-Type: application/json).',
      );
    // The token is checked, in constant time against every source's secret, before anything is
    // parsed or stored. Sources sharing a secret (one group hook) each get their projects' events.
    const given = delivery.token;
    const sources = await this.repository.sourcesWithSecrets();
    const signed = given
      ? sources.filter((s) => {
          const secret = this.config.secret(s.webhook_secret_env);
          return secret !== undefined && sameSecret(given, secret);
        })
      : [];
    if (signed.length === 0) throw new InvalidGitlabTokenError();
    if (!delivery.event) throw new BadRequestError('missing_header', 'X-Gitlab-Event is required.');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(delivery.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new BadRequestError('invalid_body', 'The body is not JSON.');
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
      throw new ValidationFailedError([{ path: '(body)', message: 'must be a JSON object' }]);
    const event = delivery.event;
    const problems = payloadProblems(event, payload);
    if (problems.length > 0)
      throw new ValidationFailedError(
        problems,
        `The "${event}" payload is malformed; nothing was written.`,
      );
    const project = hookProject(payload);
    const targets = project ? signed.filter((s) => tracksProject(s, project)) : [];
    return this.dataSource.transaction(async (manager): Promise<GitlabDeliveryResult> => {
      // GitLab sends the same Idempotency-Key when it retries a delivery; older versions send none.
      // A body sent again under another key (or none) is ordered by its object's version below.
      if (
        delivery.idempotencyKey &&
        !(await recordWebhookDelivery(manager, 'gitlab', delivery.idempotencyKey, event))
      )
        return { status: 'duplicate' };
      if (!ROUTED_GITLAB_EVENTS.includes(event))
        return { status: 'ignored', reason: `"${event}" events are not used` };
      if (targets.length === 0)
        return {
          status: 'ignored',
          reason: `${project ?? 'the payload'} is no project of a source with this secret`,
        };
      let written = 0;
      let older: string | undefined;
      for (const source of targets) {
        // Ids carry the project as the source spells it, as the collector's do.
        const spelled =
          source.projects.find((p) => p.toLowerCase() === project!.toLowerCase()) ?? project!;
        const version = objectVersion(event, payload, spelled, source.name);
        const stale = version
          ? await this.olderThanStored(manager, version, source.name)
          : undefined;
        let events: LastmileEvent[];
        try {
          events = await gitlabWebhookEvents(
            event,
            payload,
            spelled,
            source,
            (type, id) => this.repository.stored(manager, type, source.name, id),
            stale !== undefined,
          );
        } catch (error) {
          if (error instanceof DomainError) throw error;
          throw new BadRequestError(
            'invalid_payload',
            `The "${event}" payload cannot be read: ${(error as Error).message}.`,
          );
        }
        if (events.length === 0) {
          older ??= stale;
          continue;
        }
        await this.ingest.writeDelivered(
          manager,
          events.map((e) => ({ ...e, source: source.name })),
          { payload: `The "${event}" payload`, event },
        );
        written += events.length;
      }
      if (written === 0) return { status: 'ignored', reason: older ?? 'nothing to record yet' };
      return { status: 'stored', sources: targets.map((s) => s.name), events: written };
    });
  }

  /**
   * Why a payload is older than what is stored, or undefined when it is not. A late or replayed
   * delivery (the token is static, so a replay cannot be told by its key) never moves a row back:
   * its object's version is older than the newest one delivered, or than a merge, close, finish or
   * resolution stored by polling. Polling reconciles anything a webhook missed.
   */
  private async olderThanStored(
    manager: EntityManager,
    version: ObjectVersion,
    source: string,
  ): Promise<string | undefined> {
    if (!(await recordObjectVersion(manager, 'gitlab', version.key, version.updatedAt)))
      return `older than the stored version of ${version.key}`;
    const { kind, nativeId, noun } = version.stored;
    const stored = await this.repository.latestStoredTime(manager, kind, source, nativeId);
    return stored && stored.getTime() > Date.parse(version.updatedAt)
      ? `older than the stored ${noun}`
      : undefined;
  }
}
