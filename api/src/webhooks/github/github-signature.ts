import { createHmac } from 'node:crypto';
import { sameSecret } from '../../common/auth.guard.js';

/** X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the exact body, compared in constant time. */
export function validSignature(
  body: Buffer,
  header: string | undefined,
  secret: string | undefined,
): boolean {
  if (!header || !secret) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return sameSecret(header, expected);
}
