import type { DeliveryResult } from '../webhook.contract.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  applySagemakerEvent,
  olderThanStoredPackage,
  parseSagemakerEvent,
  SagemakerEventPayloadError,
  type SagemakerPackageEvent,
} from '@lastmile/collectors';
import { sameSecret } from '../../common/auth.guard.js';
import { BadRequestError, DomainError } from '../../common/errors.js';
import { ID_BYTES, utf8Bytes } from '../../common/input-schemas.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { IngestService } from '../../ingest/ingest.service.js';
import { SourcesRepository } from '../../sources/sources.repository.js';
import { previousRegistryFor } from '../registry-cursors.js';
import { recordObjectVersion, recordWebhookDelivery } from '../webhook-deliveries.js';
import { SagemakerWebhooksRepository } from './sagemaker-webhooks.repository.js';

export const SAGEMAKER_SECRET_HEADER = 'x-lastmile-secret';

export type SagemakerDeliveryResult = DeliveryResult;

export class InvalidSagemakerSecretError extends DomainError {
  constructor() {
    super(
      401,
      'invalid_secret',
      'X-Lastmile-Secret does not match the secret (secret_env) of any SageMaker source.',
    );
  }
}

/**
 * EventBridge's "SageMaker Model Package State Change" events, delivered by an API destination
 * whose connection sends the source's secret in X-Lastmile-Secret: an approval change recorded at
 * the package's LastModifiedTime (precision exact) and folded into the collector's stored state in
 * the same transaction, so the next poll records nothing twice. Polling still reconciles.
 */
@Injectable()
export class SagemakerWebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SagemakerWebhooksRepository,
    private readonly sources: SourcesRepository,
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async receive(
    body: Buffer | undefined,
    secret: string | undefined,
  ): Promise<SagemakerDeliveryResult> {
    // The secret is checked before anything is parsed or stored.
    const rows = (await this.repository.sourcesWithSecrets()).filter((row) => {
      const expected = this.config.secret(row.config.secret_env);
      return secret !== undefined && expected !== undefined && sameSecret(secret, expected);
    });
    if (rows.length === 0) throw new InvalidSagemakerSecretError();
    if (!body)
      throw new BadRequestError(
        'invalid_body',
        'Send the event as JSON (Content-Type: application/json).',
      );
    let event: SagemakerPackageEvent | null;
    let detailType: string;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      detailType = String(parsed['detail-type']);
      event = parseSagemakerEvent(parsed);
    } catch (error) {
      const reason =
        error instanceof SagemakerEventPayloadError ? error.message : 'the body is not JSON';
      throw new BadRequestError(
        'invalid_payload',
        `The EventBridge event cannot be read: ${reason}.`,
      );
    }
    if (!event) return { status: 'ignored', reason: `"${detailType}" events are not used` };
    if (utf8Bytes(event.arn) > ID_BYTES)
      throw new BadRequestError(
        'invalid_payload',
        `The EventBridge event cannot be read: detail.ModelPackageArn must be at most ${ID_BYTES} bytes in UTF-8.`,
      );
    const targets = rows.filter((row) => row.config.region === event.region);
    if (targets.length === 0)
      return {
        status: 'ignored',
        reason: `no SageMaker source with this secret reads ${event.region}`,
      };
    const found = event;
    return this.dataSource.transaction(async (manager): Promise<SagemakerDeliveryResult> => {
      if (!(await recordWebhookDelivery(manager, 'sagemaker', found.id, detailType)))
        return { status: 'duplicate' };
      // An event older (by the package's LastModifiedTime) than the newest one stored for the
      // package, or than what a poll stored, is acknowledged and ignored: EventBridge retries and
      // a body re-sent under a new id never move an approval back. Polling reconciles.
      const key = `model_package:${found.arn}`;
      const at = new Date(found.at).toISOString();
      if (!(await recordObjectVersion(manager, 'sagemaker', key, at)))
        return { status: 'ignored', reason: `older than the stored version of ${key}` };
      let written = 0;
      let older = false;
      for (const row of targets) {
        const previous = await previousRegistryFor(manager, row.id, found.group);
        if (olderThanStoredPackage(previous, found)) {
          older = true;
          continue;
        }
        const batch = applySagemakerEvent(row.config, previous, found);
        // What an event maps to meets the ingest API's rules, or nothing is written.
        await this.ingest.writeDelivered(manager, batch.events, {
          payload: 'The EventBridge event',
          event: detailType,
        });
        await this.sources.saveCursors(
          manager,
          row.id,
          batch.cursors.map((c) => ({
            resource: c.resource,
            scope: c.scope ?? '',
            value: c.value,
          })),
        );
        written += batch.events.length;
      }
      if (older && written === 0)
        return { status: 'ignored', reason: 'older than the stored model package' };
      return { status: 'stored', sources: targets.map((row) => row.config.name), events: written };
    });
  }
}
