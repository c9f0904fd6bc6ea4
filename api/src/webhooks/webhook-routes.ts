import type { IncomingHttpHeaders } from 'node:http';
import { sameSecret } from '../common/auth.guard.js';
import type { DomainError } from '../common/errors.js';
import type { BodySigner } from '../common/signed-body.js';
import { githubSigner } from './github/github-signature.js';
import { InvalidSignatureError } from './github/github-webhooks.service.js';
import { InvalidGitlabTokenError } from './gitlab/gitlab-webhooks.service.js';
import { mlflowSigner, usableMlflowHeaders } from './mlflow/mlflow-signature.js';
import { InvalidMlflowSignatureError } from './mlflow/mlflow-webhooks.service.js';
import { InvalidSagemakerSecretError } from './sagemaker/sagemaker-webhooks.service.js';

/**
 * How each webhook route is authenticated, so the request gate can refuse a stranger before
 * holding its body: a shared secret sent as a header is compared before a byte is read; a
 * signature over the body is computed while the body is spooled to a file, and only a body whose
 * signature matches is read into memory. The services check again on what they are handed.
 */
export interface WebhookRoute {
  /** The source kind whose secrets sign this route's deliveries. */
  kind: 'github' | 'gitlab' | 'mlflow' | 'sagemaker';
  /** The source setting naming the secret's environment variable. */
  secretEnv: 'webhook_secret_env' | 'secret_env';
  /** The header without which the body is not read. */
  header: string;
  /** The error a delivery that does not authenticate gets. */
  refusal: () => DomainError;
  /** A header holding the secret itself: whether it is one of the secrets. */
  token?: (headers: IncomingHttpHeaders, secrets: string[]) => boolean;
  /** A signature over the body: false when the headers cannot carry a valid one at `nowMs`. */
  usable?: (headers: IncomingHttpHeaders, nowMs: number) => boolean;
  signer?: (headers: IncomingHttpHeaders, secret: string, nowMs: number) => BodySigner;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const mlflowHeaders = (headers: IncomingHttpHeaders) => ({
  deliveryId: header(headers, 'x-mlflow-delivery-id'),
  timestamp: header(headers, 'x-mlflow-timestamp'),
  signature: header(headers, 'x-mlflow-signature'),
});

const tokenIn = (name: string) => (headers: IncomingHttpHeaders, secrets: string[]) => {
  const given = header(headers, name);
  // Every secret is compared, so the time taken does not say which one matched.
  return given !== undefined && secrets.filter((s) => sameSecret(given, s)).length > 0;
};

/** Keyed by the path as the router matches it (lower case, no trailing slash). */
export const WEBHOOK_ROUTES: Record<string, WebhookRoute> = {
  '/api/v1/webhooks/github': {
    kind: 'github',
    secretEnv: 'webhook_secret_env',
    header: 'x-hub-signature-256',
    refusal: () => new InvalidSignatureError(),
    usable: () => true,
    signer: (headers, secret) => githubSigner(header(headers, 'x-hub-signature-256'), secret),
  },
  '/api/v1/webhooks/mlflow': {
    kind: 'mlflow',
    secretEnv: 'webhook_secret_env',
    header: 'x-mlflow-signature',
    refusal: () => new InvalidMlflowSignatureError(),
    usable: (headers, nowMs) => usableMlflowHeaders(mlflowHeaders(headers), nowMs),
    signer: (headers, secret, nowMs) => mlflowSigner(mlflowHeaders(headers), secret, nowMs),
  },
  // GitLab sends the hook's secret token itself.
  '/api/v1/webhooks/gitlab': {
    kind: 'gitlab',
    secretEnv: 'webhook_secret_env',
    header: 'x-gitlab-token',
    refusal: () => new InvalidGitlabTokenError(),
    token: tokenIn('x-gitlab-token'),
  },
  // EventBridge API destinations send a shared secret in a header rather than a signature.
  '/api/v1/webhooks/sagemaker': {
    kind: 'sagemaker',
    secretEnv: 'secret_env',
    header: 'x-lastmile-secret',
    refusal: () => new InvalidSagemakerSecretError(),
    token: tokenIn('x-lastmile-secret'),
  },
};
