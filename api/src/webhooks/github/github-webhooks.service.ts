import type { GithubDeliveryResult as DeliveryResult } from '../webhook.contract.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  githubWebhookEvents,
  type GithubSource,
  type LastmileEvent,
  type PullRequestEvent,
  pullRequestId,
  ROUTED_GITHUB_EVENTS,
  tracksRepository,
} from '@lastmile/collectors';
import { BadRequestError, DomainError, ValidationFailedError } from '../../common/errors.js';
import { recordObjectVersion } from '../webhook-deliveries.js';
import { objectVersion, payloadProblems } from './github-payload.schema.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { IngestService } from '../../ingest/ingest.service.js';
import { GithubWebhooksRepository } from './github-webhooks.repository.js';
import { validSignature } from './github-signature.js';

export interface GithubDelivery {
  body: Buffer | undefined;
  event: string | undefined;
  deliveryId: string | undefined;
  signature: string | undefined;
}

export type { GithubDeliveryResult as DeliveryResult } from '../webhook.contract.js';

export class InvalidSignatureError extends DomainError {
  constructor() {
    super(
      401,
      'invalid_signature',
      "X-Hub-Signature-256 does not match the body signed with any GitHub source's webhook secret.",
    );
  }
}

@Injectable()
export class GithubWebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: GithubWebhooksRepository,
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async receive(delivery: GithubDelivery): Promise<DeliveryResult> {
    if (!delivery.body)
      throw new BadRequestError(
        'invalid_body',
        'Send the payload as JSON (Content-Type: application/json).',
      );
    // The signature is checked before anything is parsed or stored. Several sources may share a
    // secret (one app, several organisations): each one that tracks the repository gets the events.
    const body = delivery.body;
    const signed = (await this.repository.sourcesWithSecrets()).filter((s) =>
      validSignature(body, delivery.signature, this.config.secret(s.webhook_secret_env)),
    );
    if (signed.length === 0) throw new InvalidSignatureError();
    if (!delivery.deliveryId || !delivery.event) {
      throw new BadRequestError(
        'missing_header',
        'X-GitHub-Delivery and X-GitHub-Event are required.',
      );
    }
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new BadRequestError('invalid_body', 'The body is not JSON.');
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
      throw new ValidationFailedError([{ path: '(body)', message: 'must be a JSON object' }]);
    const problems = payloadProblems(delivery.event, payload);
    if (problems.length > 0)
      throw new ValidationFailedError(
        problems,
        `The signed "${delivery.event}" payload is malformed; nothing was written.`,
      );
    const repo = (payload.repository as { full_name?: string } | undefined)?.full_name;
    const targets = repo ? signed.filter((s) => tracksRepository(s, repo)) : [];
    const { deliveryId, event } = delivery;
    return this.dataSource.transaction(async (manager): Promise<DeliveryResult> => {
      if (!(await this.repository.recordDelivery(manager, deliveryId, event)))
        return { status: 'duplicate' };
      if (!ROUTED_GITHUB_EVENTS.includes(event))
        return { status: 'ignored', reason: `"${event}" events are not used` };
      if (targets.length === 0)
        return {
          status: 'ignored',
          reason: `${repo ?? 'the payload'} is no repository of a source with this secret`,
        };
      // A payload older than what is stored is acknowledged and ignored: a late or replayed
      // delivery never moves a row back. Polling reconciles anything a webhook missed.
      let written = 0;
      let older: string | undefined;
      for (const source of targets) {
        // Ids carry the repository as the source spells it, as the collector's do.
        const spelled =
          (source.repos ?? []).find((r) => r.toLowerCase() === repo!.toLowerCase()) ?? repo!;
        const version = objectVersion(event, payload as never, repo!, source.name);
        if (
          version &&
          !(await recordObjectVersion(manager, 'github', version.key, version.updatedAt))
        ) {
          older ??= `older than the stored version of ${version.key}`;
          continue;
        }
        if (version && (await this.olderThanStoredPull(manager, event, payload, spelled, source))) {
          older ??= 'older than the stored pull request';
          continue;
        }
        let events: LastmileEvent[];
        try {
          events = await githubWebhookEvents(event, payload, spelled, source, (type, id) =>
            this.repository.stored(manager, type, source.name, id),
          );
        } catch (error) {
          if (error instanceof DomainError) throw error;
          throw new BadRequestError(
            'invalid_payload',
            `The signed "${event}" payload cannot be read: ${(error as Error).message}.`,
          );
        }
        if (events.length === 0) continue;
        await this.ingest.writeDelivered(
          manager,
          events.map((e) => ({ ...e, source: source.name })),
          { payload: `The signed "${event}" payload`, event },
        );
        written += events.length;
      }
      if (written === 0) return { status: 'ignored', reason: older ?? 'nothing to record yet' };
      return { status: 'stored', sources: targets.map((s) => s.name), events: written };
    });
  }

  /**
   * A pull request stored (by polling, say) as merged or closed after this payload's updated_at
   * is newer than the payload: an "opened" payload re-sent after the merge must not unmerge it.
   */
  private async olderThanStoredPull(
    manager: EntityManager,
    event: string,
    payload: Record<string, unknown>,
    repo: string,
    source: GithubSource,
  ): Promise<boolean> {
    if (event !== 'pull_request' && event !== 'pull_request_review') return false;
    const pull = payload.pull_request as { number: number; updated_at: string };
    const stored = (await this.repository.stored(
      manager,
      'pull_request',
      source.name,
      pullRequestId(repo, pull.number),
    )) as PullRequestEvent | undefined;
    const payloadTime = Date.parse(pull.updated_at);
    return [stored?.merged_at, stored?.closed_at].some(
      (time) => typeof time === 'string' && Date.parse(time) > payloadTime,
    );
  }
}
