import type { DeliveryResult } from '../webhook.contract.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  gitlabWebhookEvents,
  hookProject,
  ROUTED_GITLAB_EVENTS,
  tracksProject,
} from '@lastmile/collectors';
import { sameSecret } from '../../common/auth.guard.js';
import { BadRequestError, DomainError } from '../../common/errors.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { IngestService } from '../../ingest/ingest.service.js';
import { recordWebhookDelivery } from '../webhook-deliveries.js';
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
    const event = delivery.event;
    const project = hookProject(payload);
    const targets = project ? signed.filter((s) => tracksProject(s, project)) : [];
    return this.dataSource.transaction(async (manager): Promise<GitlabDeliveryResult> => {
      // GitLab sends the same Idempotency-Key when it retries a delivery; older versions send none,
      // and the events are then written again (the same rows, by native id).
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
      for (const source of targets) {
        // Ids carry the project as the source spells it, as the collector's do.
        const spelled =
          source.projects.find((p) => p.toLowerCase() === project!.toLowerCase()) ?? project!;
        const events = await gitlabWebhookEvents(event, payload, spelled, source, (type, id) =>
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
