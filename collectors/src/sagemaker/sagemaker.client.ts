import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  paginateListEndpoints,
  paginateListModelPackageGroups,
  paginateListModelPackages,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CollectorError } from '../collector.js';
import type { SagemakerSource } from './sagemaker.source.js';

export interface PackageGroup {
  name: string;
  created: number;
}

export interface PackageVersion {
  group: string;
  version: string;
  arn: string;
  created: number;
  approval: string;
  /** Pending, InProgress, Completed, Failed or Deleting. */
  status: string;
}

export interface SagemakerClientOptions {
  source: SagemakerSource;
  signal?: AbortSignal;
  /** Called once per HTTP request sent, retries included. */
  onRequest?(): void;
  /** The SDK's attempts for a throttled or failed call (its standard back-off between them). */
  maxAttempts?: number;
  pageSize?: number;
  /** Milliseconds to connect, and for an answer once connected (a check's limit). */
  timeoutMs?: number;
}

const CREDENTIALS =
  'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary credentials), or AWS_PROFILE';
/** AWS errors that mean the credentials themselves were not accepted. */
export const REJECTED_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'IncompleteSignature',
  'ExpiredTokenException',
  'MissingAuthenticationToken',
]);

/**
 * The SageMaker Model Registry through @aws-sdk/client-sagemaker (credentials from the standard
 * AWS chain): package groups are models, versioned packages their versions, and, for the
 * `endpoints` production mode, the endpoints that serve them.
 */
export class SagemakerRegistryClient {
  private readonly client: SageMakerClient;

  constructor(private readonly options: SagemakerClientOptions) {
    this.client = new SageMakerClient({
      region: options.source.region,
      ...(options.source.endpoint_url ? { endpoint: options.source.endpoint_url } : {}),
      maxAttempts: options.maxAttempts ?? 5,
      ...(options.timeoutMs
        ? {
            requestHandler: {
              connectionTimeout: options.timeoutMs,
              requestTimeout: options.timeoutMs,
            },
          }
        : {}),
    });
    // After the retry step: once per attempt, so retries count as the requests they are.
    this.client.middlewareStack.add(
      (next) => (args) => {
        options.onRequest?.();
        return next(args);
      },
      { step: 'deserialize', name: 'lastmileRequestCounter' },
    );
  }

  /**
   * The credentials the SDK's default chain finds (environment, profile, container or instance
   * role); throws the collector's error when there are none.
   */
  async credentials(): Promise<void> {
    try {
      await this.client.config.credentials();
    } catch (error) {
      throw this.failure('credentials', error);
    }
  }

  destroy(): void {
    this.client.destroy();
  }

  async *groups(): AsyncGenerator<PackageGroup[]> {
    const pages = paginateListModelPackageGroups(
      { client: this.client, pageSize: this.options.pageSize ?? 100 },
      {},
    );
    yield* this.guard('ListModelPackageGroups', pages, (page) =>
      (page.ModelPackageGroupSummaryList ?? []).map((g) => ({
        name: g.ModelPackageGroupName!,
        created: g.CreationTime!.getTime(),
      })),
    );
  }

  async *versions(group: string): AsyncGenerator<PackageVersion[]> {
    const pages = paginateListModelPackages(
      { client: this.client, pageSize: this.options.pageSize ?? 100 },
      { ModelPackageGroupName: group, ModelPackageType: 'Versioned' },
    );
    yield* this.guard('ListModelPackages', pages, (page) =>
      (page.ModelPackageSummaryList ?? []).map((p) => ({
        group,
        version: String(p.ModelPackageVersion),
        arn: p.ModelPackageArn!,
        created: p.CreationTime!.getTime(),
        approval: p.ModelApprovalStatus ?? 'PendingManualApproval',
        status: p.ModelPackageStatus ?? 'Completed',
      })),
    );
  }

  /** A package's LastModifiedTime and approval status now; null when it was deleted meanwhile. */
  async describe(arn: string): Promise<{ updated: number; approval: string } | null> {
    const out = await this.call('DescribeModelPackage', () =>
      this.client.send(new DescribeModelPackageCommand({ ModelPackageName: arn }), {
        abortSignal: this.options.signal,
      }),
    );
    if (!out) return null;
    return {
      updated: (out.LastModifiedTime ?? out.CreationTime!).getTime(),
      approval: out.ModelApprovalStatus ?? 'PendingManualApproval',
    };
  }

  /** For each InService endpoint whose name matches: the model package ARNs it serves. */
  async servedPackages(pattern: RegExp): Promise<Map<string, string[]>> {
    const served = new Map<string, string[]>();
    const pages = paginateListEndpoints(
      { client: this.client, pageSize: this.options.pageSize ?? 100 },
      { StatusEquals: 'InService' },
    );
    const names: string[] = [];
    for await (const page of this.guard('ListEndpoints', pages, (p) => p.Endpoints ?? []))
      for (const endpoint of page)
        if (endpoint.EndpointName && pattern.test(endpoint.EndpointName))
          names.push(endpoint.EndpointName);
    for (const name of names) {
      const endpoint = await this.call('DescribeEndpoint', () =>
        this.client.send(new DescribeEndpointCommand({ EndpointName: name }), {
          abortSignal: this.options.signal,
        }),
      );
      if (!endpoint?.EndpointConfigName || endpoint.EndpointStatus !== 'InService') continue;
      const config = await this.call('DescribeEndpointConfig', () =>
        this.client.send(
          new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }),
          {
            abortSignal: this.options.signal,
          },
        ),
      );
      const arns: string[] = [];
      for (const variant of config?.ProductionVariants ?? []) {
        if (!variant.ModelName) continue;
        const model = await this.call('DescribeModel', () =>
          this.client.send(new DescribeModelCommand({ ModelName: variant.ModelName }), {
            abortSignal: this.options.signal,
          }),
        );
        const containers = [
          ...(model?.PrimaryContainer ? [model.PrimaryContainer] : []),
          ...(model?.Containers ?? []),
        ];
        for (const container of containers)
          if (container.ModelPackageName) arns.push(container.ModelPackageName);
      }
      served.set(name, arns);
    }
    return served;
  }

  private async *guard<P, T>(
    operation: string,
    pages: AsyncIterable<P>,
    map: (page: P) => T[],
  ): AsyncGenerator<T[]> {
    try {
      for await (const page of pages) yield map(page);
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  /** A call whose resource may be gone since it was listed: null then. */
  private async call<T>(operation: string, send: () => Promise<T>): Promise<T | null> {
    try {
      return await send();
    } catch (error) {
      const name = (error as { name?: string }).name;
      const message = (error as Error).message ?? '';
      if (
        name === 'ResourceNotFound' ||
        (name === 'ValidationException' && /does not exist|could not find/i.test(message))
      )
        return null;
      throw this.failure(operation, error);
    }
  }

  private failure(operation: string, error: unknown): CollectorError {
    if (error instanceof CollectorError) return error;
    const failure = this.describeFailure(operation, error);
    return new CollectorError(failure.message, failure.retryable, { cause: error });
  }

  private describeFailure(operation: string, error: unknown): CollectorError {
    const { source } = this.options;
    const name = (error as { name?: string }).name ?? 'Error';
    const message = ((error as Error).message ?? '').replace(/\.+$/, '');
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const where = `SageMaker source "${source.name}" (${source.region})`;
    if (name === 'CredentialsProviderError')
      return new CollectorError(`${where}: no AWS credentials were found: set ${CREDENTIALS}.`);
    if (REJECTED_CREDENTIALS.has(name))
      return new CollectorError(
        `${where}: AWS rejected the credentials on ${operation} (${name}: ${message}): check ${CREDENTIALS}.`,
      );
    if (name === 'AccessDeniedException' || status === 401 || status === 403)
      return new CollectorError(
        `${where}: ${operation} was denied (${name}: ${message}): the credentials need the permission sagemaker:${operation}.`,
      );
    const retryable =
      name === 'ThrottlingException' || (status !== undefined && (status === 429 || status >= 500));
    return new CollectorError(`${where}: ${operation} failed (${name}: ${message}).`, retryable);
  }
}
