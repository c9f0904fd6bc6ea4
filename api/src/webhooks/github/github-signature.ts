import { createHmac } from 'node:crypto';
import { sameSecret } from '../../common/auth.guard.js';
import type { BodySigner } from '../../common/signed-body.js';

/**
 * X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the exact body under the webhook's secret,
 * fed the body as it arrives; `matches` compares in constant time.
 */
export function githubSigner(header: string | undefined, secret: string | undefined): BodySigner {
  if (!header || !secret) return { update: () => undefined, matches: () => false };
  const hmac = createHmac('sha256', secret);
  return {
    update: (chunk) => void hmac.update(chunk),
    matches: () => sameSecret(header, `sha256=${hmac.digest('hex')}`),
  };
}

export function validSignature(
  body: Buffer,
  header: string | undefined,
  secret: string | undefined,
): boolean {
  const signer = githubSigner(header, secret);
  signer.update(body);
  return signer.matches();
}
