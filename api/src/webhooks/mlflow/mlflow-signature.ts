import { createHmac } from 'node:crypto';
import { sameSecret } from '../../common/auth.guard.js';

/** How far X-MLflow-Timestamp may be from now: MLflow's documented check, against replays. */
export const MAX_TIMESTAMP_SKEW_SECONDS = 300;

export interface MlflowSignatureHeaders {
  deliveryId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * MLflow 3.3+ signs "<X-MLflow-Delivery-Id>.<X-MLflow-Timestamp>.<body>" with HMAC-SHA256 under the
 * webhook's secret and sends "v1,<base64>" in X-MLflow-Signature (mlflow/webhooks/delivery.py).
 */
export function validMlflowSignature(
  body: Buffer,
  headers: MlflowSignatureHeaders,
  secret: string | undefined,
  nowMs: number,
): boolean {
  const { deliveryId, timestamp, signature } = headers;
  if (!secret || !deliveryId || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp))
    return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_TIMESTAMP_SKEW_SECONDS) return false;
  const signed = Buffer.concat([Buffer.from(`${deliveryId}.${timestamp}.`, 'utf8'), body]);
  const expected = `v1,${createHmac('sha256', secret).update(signed).digest('base64')}`;
  return signature.split(' ').some((candidate) => sameSecret(candidate, expected));
}
