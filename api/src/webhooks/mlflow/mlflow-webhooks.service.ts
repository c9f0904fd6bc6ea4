import type { MlflowDeliveryResult } from '../webhook.contract.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  applyMlflowWebhook,
  MlflowWebhookPayloadError,
  parseMlflowWebhook,
  type MlflowWebhook,
} from '@lastmile/collectors';
import { BadRequestError, DomainError } from '../../common/errors.js';
import { INDEXED_TEXT_BYTES, utf8Bytes } from '../../common/input-schemas.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { IngestService } from '../../ingest/ingest.service.js';
import { SourcesRepository } from '../../sources/sources.repository.js';
import { recordObjectVersion, recordWebhookDelivery } from '../webhook-deliveries.js';
import { MlflowWebhooksRepository } from './mlflow-webhooks.repository.js';
import { type MlflowSignatureHeaders, validMlflowSignature } from './mlflow-signature.js';

export interface MlflowDelivery extends MlflowSignatureHeaders {
  body: Buffer | undefined;
}

export type { MlflowDeliveryResult } from '../webhook.contract.js';

export class InvalidMlflowSignatureError extends DomainError {
  constructor() {
    super(
      401,
      'invalid_signature',
      "X-MLflow-Signature does not match the body signed with any MLflow source's webhook secret, or X-MLflow-Timestamp is more than 5 minutes from now.",
    );
  }
}

/**
 * MLflow 3.3+ registry webhooks: a version created, an alias set or deleted, recorded with the
 * delivery's time (precision exact) and folded into the collector's stored state in the same
 * transaction, so the next poll sees no difference. Polling still reconciles what a webhook missed.
 */
@Injectable()
export class MlflowWebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: MlflowWebhooksRepository,
    private readonly sources: SourcesRepository,
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async receive(delivery: MlflowDelivery, nowMs = Date.now()): Promise<MlflowDeliveryResult> {
    if (!delivery.body)
      throw new BadRequestError(
        'invalid_body',
        'Send the payload as JSON (Content-Type: application/json).',
      );
    // The signature is checked before anything is parsed or stored.
    const rows = await this.repository.sourcesWithSecrets();
    const row = rows.find((r) =>
      validMlflowSignature(
        delivery.body!,
        delivery,
        this.config.secret(r.config.webhook_secret_env),
        nowMs,
      ),
    );
    if (!row) throw new InvalidMlflowSignatureError();
    const source = row.config;
    let hook: MlflowWebhook | null;
    let event: string;
    try {
      const body = JSON.parse(delivery.body.toString('utf8')) as {
        entity?: unknown;
        action?: unknown;
      };
      event = `${String(body.entity)}.${String(body.action)}`;
      hook = parseMlflowWebhook(body);
    } catch (error) {
      const reason =
        error instanceof MlflowWebhookPayloadError ? error.message : 'the body is not JSON';
      throw new BadRequestError(
        'invalid_payload',
        `The MLflow webhook payload cannot be read: ${reason}.`,
      );
    }
    const tooLong = hook && objectNameProblem(hook);
    if (tooLong)
      throw new BadRequestError(
        'invalid_payload',
        `The MLflow webhook payload cannot be read: ${tooLong}.`,
      );
    const deliveryId = delivery.deliveryId!;
    return this.dataSource.transaction(async (manager) => {
      if (!(await recordWebhookDelivery(manager, 'mlflow', deliveryId, event)))
        return { status: 'duplicate', source: source.name };
      if (!hook)
        return { status: 'ignored', source: source.name, reason: `"${event}" events are not used` };
      // A change made before the newest one stored for its alias or version is acknowledged and
      // ignored, so a late "champion -> 1" never moves the alias back from 2. The body's timestamp
      // (signed with it) is when the change was made; X-MLflow-Timestamp is when this attempt was
      // signed, newer on each retry, so a retried old change would pass for a new one. Polling
      // reconciles.
      const key = objectKey(source.name, hook);
      if (!(await recordObjectVersion(manager, 'mlflow', key, new Date(hook.at).toISOString())))
        return {
          status: 'ignored',
          source: source.name,
          reason: `older than the stored version of ${key}`,
        };
      const previous = await this.repository.previousFor(manager, row.id, hook.name);
      const batch = applyMlflowWebhook(source, previous, hook);
      await this.ingest.writeDelivered(manager, batch.events, {
        payload: `The signed "${event}" payload`,
        event,
      });
      await this.sources.saveCursors(
        manager,
        row.id,
        batch.cursors.map((c) => ({ resource: c.resource, scope: c.scope ?? '', value: c.value })),
      );
      return { status: 'stored', source: source.name, events: batch.events.length };
    });
  }
}

/**
 * The alias or version a delivery describes, per source. MLflow allows neither "@" in an alias
 * nor "/" in a version number, so each key names one object.
 */
function objectKey(source: string, hook: MlflowWebhook): string {
  return hook.kind === 'model_version.created'
    ? `model_version:${source}:${hook.name}/${hook.version}`
    : `model_version_alias:${source}:${hook.name}@${hook.alias}`;
}

/** What makes a name too long to key its object (and to store), or undefined. */
function objectNameProblem(hook: MlflowWebhook): string | undefined {
  const fields = {
    'data.name': hook.name,
    'data.version': 'version' in hook ? hook.version : '',
    'data.alias': 'alias' in hook ? hook.alias : '',
  };
  const [path] =
    Object.entries(fields).find(([, value]) => utf8Bytes(value) > INDEXED_TEXT_BYTES) ?? [];
  return path && `${path} must be at most ${INDEXED_TEXT_BYTES} bytes in UTF-8`;
}
