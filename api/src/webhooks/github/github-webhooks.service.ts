import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GithubSource } from '@lastmile/collectors';
import { BadRequestError, DomainError } from '../../common/errors.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { IngestService } from '../../ingest/ingest.service.js';
import { ROUTED_EVENTS, webhookEvents } from './github-webhook.events.js';
import { GithubWebhooksRepository } from './github-webhooks.repository.js';
import { validSignature } from './github-signature.js';

export interface GithubDelivery {
  body: Buffer | undefined;
  event: string | undefined;
  deliveryId: string | undefined;
  signature: string | undefined;
}

export interface DeliveryResult {
  status: 'stored' | 'duplicate' | 'ignored';
  source?: string;
  events?: number;
  reason?: string;
}

export class InvalidSignatureError extends DomainError {
  constructor() {
    super(401, 'invalid_signature', 'X-Hub-Signature-256 does not match the body signed with any GitHub source\'s webhook secret.');
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
    if (!delivery.body) throw new BadRequestError('invalid_body', 'Send the payload as JSON (Content-Type: application/json).');
    // The signature is checked before anything is parsed or stored.
    const sources = await this.repository.sourcesWithSecrets();
    const source = sources.find((s) => validSignature(delivery.body!, delivery.signature, this.config.secret(s.webhook_secret_env)));
    if (!source) throw new InvalidSignatureError();
    if (!delivery.deliveryId || !delivery.event) {
      throw new BadRequestError('missing_header', 'X-GitHub-Delivery and X-GitHub-Event are required.');
    }
    let payload: Record<string, any>;
    try {
      payload = JSON.parse(delivery.body.toString('utf8'));
    } catch {
      throw new BadRequestError('invalid_body', 'The body is not JSON.');
    }
    const repo: string | undefined = payload.repository?.full_name;
    const { deliveryId, event } = delivery;
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.repository.recordDelivery(manager, deliveryId, event))) {
        return { status: 'duplicate', source: source.name };
      }
      if (!ROUTED_EVENTS.includes(event)) return { status: 'ignored', source: source.name, reason: `"${event}" events are not used` };
      if (!repo || !tracks(source, repo)) {
        return { status: 'ignored', source: source.name, reason: `${repo ?? 'the payload'} is not a repository of this source` };
      }
      const events = await webhookEvents(event, payload, repo, source, (type, id) =>
        this.repository.stored(manager, type, source.name, id),
      );
      if (events.length === 0) return { status: 'ignored', source: source.name, reason: 'nothing to record yet' };
      const pattern = new RegExp(source.production_environment ?? '^(prod|production)$', 'i');
      await this.ingest.write(
        manager,
        events.map((e) => ({ ...e, source: source.name })),
        { isProduction: (environment) => pattern.test(environment) },
      );
      return { status: 'stored', source: source.name, events: events.length };
    });
  }
}

/** Whether a repository belongs to the source: listed, or in its organisation and filters. */
function tracks(source: GithubSource, repo: string): boolean {
  const lower = repo.toLowerCase();
  if ((source.repos ?? []).some((r) => r.toLowerCase() === lower)) return true;
  if (!source.org) return false;
  const [owner, name = ''] = repo.split('/');
  if (owner?.toLowerCase() !== source.org.toLowerCase()) return false;
  const include = source.include ?? [];
  if (include.length > 0 && !include.some((p) => new RegExp(p, 'i').test(name))) return false;
  return !(source.exclude ?? []).some((p) => new RegExp(p, 'i').test(name));
}
