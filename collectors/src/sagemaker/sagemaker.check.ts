import {
  CHECK_TIMEOUT_MS,
  type CheckContext,
  type CheckStep,
  checkOf,
  type SourceCheck,
  unreachable,
} from '../source-check.js';
import { REJECTED_CREDENTIALS, SagemakerRegistryClient } from './sagemaker.client.js';
import type { SagemakerSource } from './sagemaker.source.js';

/**
 * Checks a SageMaker source without polling it, through the collector's own client (the AWS SDK):
 * its default chain finds credentials, the endpoint answers, AWS accepts them, and they may list
 * the model package groups (one).
 */
export async function checkSagemakerSource(
  source: SagemakerSource,
  context: CheckContext,
): Promise<SourceCheck> {
  const host = source.endpoint_url
    ? new URL(source.endpoint_url).host
    : `api.sagemaker.${source.region}.amazonaws.com`;
  const steps: CheckStep[] = [];
  const client = new SagemakerRegistryClient({
    source,
    signal: context.signal,
    maxAttempts: 1,
    pageSize: 1,
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  try {
    try {
      await client.credentials();
    } catch (error) {
      steps.push({ step: 'credentials', ok: false, message: (error as Error).message });
      return checkOf(steps);
    }
    steps.push({ step: 'credentials', ok: true, message: 'the AWS SDK found credentials' });
    try {
      const pages = client.groups();
      await pages.next();
      await pages.return(undefined);
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause as
        { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
      if (cause?.$metadata?.httpStatusCode === undefined) {
        steps.push({ step: 'reach', ok: false, message: unreachable(host, cause ?? error) });
        return checkOf(steps);
      }
      steps.push({ step: 'reach', ok: true, message: `${host} answered` });
      const name = cause.name ?? 'Error';
      if (REJECTED_CREDENTIALS.has(name)) {
        steps.push({
          step: 'auth',
          ok: false,
          message: `${name} from AWS: the credentials are invalid or expired`,
        });
        return checkOf(steps);
      }
      steps.push({ step: 'auth', ok: true, message: 'AWS accepted the credentials' });
      steps.push({
        step: 'access',
        ok: false,
        message:
          name === 'AccessDeniedException'
            ? `${name} from SageMaker: the credentials need the permission sagemaker:ListModelPackageGroups`
            : `${name} from SageMaker on ListModelPackageGroups`,
      });
      return checkOf(steps);
    }
    steps.push(
      { step: 'reach', ok: true, message: `${host} answered` },
      { step: 'auth', ok: true, message: 'AWS accepted the credentials' },
      { step: 'access', ok: true, message: 'can list the model package groups' },
    );
    return checkOf(steps);
  } finally {
    client.destroy();
  }
}
