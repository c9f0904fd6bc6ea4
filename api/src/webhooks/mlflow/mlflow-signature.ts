import { createHmac } from 'node:crypto';
import { sameSecret } from '../../common/auth.guard.js';
import type { BodySigner } from '../../common/signed-body.js';

/** How far X-MLflow-Timestamp may be from now: MLflow's documented check, against replays. */
export const MAX_TIMESTAMP_SKEW_SECONDS = 300;

export interface MlflowSignatureHeaders {
  deliveryId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** Whether the headers can carry a valid signature at `nowMs`, before any of the body is read. */
export function usableMlflowHeaders(headers: MlflowSignatureHeaders, nowMs: number): boolean {
  const { deliveryId, timestamp, signature } = headers;
  if (!deliveryId || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= MAX_TIMESTAMP_SKEW_SECONDS;
}

/**
 * MLflow 3.3+ signs "<X-MLflow-Delivery-Id>.<X-MLflow-Timestamp>.<body>" with HMAC-SHA256 under the
 * webhook's secret and sends "v1,<base64>" in X-MLflow-Signature, several separated by spaces
 * while a secret is rotated (mlflow/webhooks/delivery.py). Fed the body as it arrives.
 */
export function mlflowSigner(
  headers: MlflowSignatureHeaders,
  secret: string | undefined,
  nowMs: number,
): BodySigner {
  if (!secret || !usableMlflowHeaders(headers, nowMs))
    return { update: () => undefined, matches: () => false };
  const hmac = createHmac('sha256', secret).update(`${headers.deliveryId}.${headers.timestamp}.`);
  return {
    update: (chunk) => void hmac.update(chunk),
    matches: () => {
      const expected = `v1,${hmac.digest('base64')}`;
      return headers.signature!.split(' ').some((candidate) => sameSecret(candidate, expected));
    },
  };
}

export function validMlflowSignature(
  body: Buffer,
  headers: MlflowSignatureHeaders,
  secret: string | undefined,
  nowMs: number,
): boolean {
  const signer = mlflowSigner(headers, secret, nowMs);
  signer.update(body);
  return signer.matches();
}
