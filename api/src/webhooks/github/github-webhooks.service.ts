import type { GithubDeliveryResult as DeliveryResult } from '../webhook.contract.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ROUTED_GITHUB_EVENTS, tracksRepository, githubWebhookEvents } from '@lastmile/collectors';
import { BadRequestError, DomainError } from '../../common/errors.js';
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
      let written = 0;
      for (const source of targets) {
        // Ids carry the repository as the source spells it, as the collector's do.
        const spelled =
          (source.repos ?? []).find((r) => r.toLowerCase() === repo!.toLowerCase()) ?? repo!;
        const events = await githubWebhookEvents(event, payload, spelled, source, (type, id) =>
          this.repository.stored(manager, type, source.name, id),
        );
        if (events.length === 0) continue;
        await this.ingest.write(
          manager,
          events.map((e) => ({ ...e, source: source.name })),
        );
        written += events.length;
      }
      if (written === 0) return { status: 'ignored', reason: 'nothing to record yet' };
      return { status: 'stored', sources: targets.map((s) => s.name), events: written };
    });
  }
}
