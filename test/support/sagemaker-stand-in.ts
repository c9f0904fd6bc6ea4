import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  paginate,
  RegistryStandIn,
  type ScriptFault,
  type ScriptModel,
  sendJson,
} from './registry-script.js';

// A stand-in SageMaker API on 127.0.0.1 speaking AWS JSON 1.1 as the SageMaker API reference
// defines it: POST / with X-Amz-Target: SageMaker.<Operation> and a JSON body, timestamps as epoch
// seconds, MaxResults/NextToken pagination, errors as {"__type", "message"} (HTTP 400, or the
// status a fault names). @aws-sdk/client-sagemaker is pointed at it by its endpoint; requests
// must be SigV4-signed for the stand-in's access key, region and the "sagemaker" service. Package
// groups are the script's models, their versioned packages its versions.

const ACCOUNT = '123456789012';
const JSON_11 = 'application/x-amz-json-1.1';

interface Endpoint {
  status: 'InService' | 'Updating' | 'Creating' | 'Failed';
  config: string;
}

export class SagemakerStandIn extends RegistryStandIn {
  /** Operations the credentials may not call (AccessDeniedException). */
  readonly denied = new Set<string>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly configs = new Map<string, string[]>();
  private readonly smModels = new Map<string, string>();
  private deployments = 0;

  constructor(
    readonly region: string,
    readonly accessKeyId: string,
  ) {
    super();
  }

  arn(group: string, version: string | number): string {
    return `arn:aws:sagemaker:${this.region}:${ACCOUNT}:model-package/${group}/${version}`;
  }

  /** Creates a model, an endpoint config and (or updates) the endpoint to serve a package. */
  deploy(
    endpoint: string,
    group: string,
    version: string,
    status: Endpoint['status'] = 'InService',
  ): this {
    this.version(this.model(group), version);
    const n = ++this.deployments;
    this.smModels.set(`${endpoint}-model-${n}`, this.arn(group, version));
    this.configs.set(`${endpoint}-config-${n}`, [`${endpoint}-model-${n}`]);
    this.endpoints.set(endpoint, { status, config: `${endpoint}-config-${n}` });
    return this;
  }

  deleteEndpoint(endpoint: string): this {
    this.endpoints.delete(endpoint);
    return this;
  }

  protected override faultKey(request: IncomingMessage): string {
    return String(request.headers['x-amz-target'] ?? '');
  }

  protected sendFault(response: ServerResponse, fault: ScriptFault): void {
    const type =
      fault.status === 429
        ? 'ThrottlingException'
        : fault.status >= 500
          ? 'InternalFailure'
          : 'ValidationException';
    sendJson(
      response,
      fault.status,
      fault.body ?? {
        __type: type,
        message: fault.status === 429 ? 'Rate exceeded' : 'Stand-in fault',
      },
      {
        'Content-Type': JSON_11,
        'x-amzn-RequestId': 'stand-in-fault',
      },
    );
  }

  protected handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const target = String(request.headers['x-amz-target'] ?? '');
    const send = (status: number, json: unknown) =>
      sendJson(response, status, json, {
        'Content-Type': JSON_11,
        'x-amzn-RequestId': `req-${this.totalRequests}`,
      });
    const error = (type: string, message: string) => send(400, { __type: type, message });
    if (request.method !== 'POST' || !target.startsWith('SageMaker.'))
      return error('UnknownOperationException', `Unknown operation ${target}`);
    if (request.headers['content-type'] !== JSON_11)
      return error('SerializationException', `Expected ${JSON_11}`);
    const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      String(request.headers.authorization ?? ''),
    );
    if (!credential || credential[1] !== this.accessKeyId)
      return error(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    if (credential[2] !== this.region || credential[3] !== 'sagemaker')
      return error(
        'InvalidSignatureException',
        `Credential should be scoped to a valid region and service.`,
      );
    const operation = target.slice('SageMaker.'.length);
    this.count(operation);
    if (this.denied.has(operation))
      return send(400, {
        __type: 'AccessDeniedException',
        message: `User: arn:aws:iam::${ACCOUNT}:user/lastmile is not authorized to perform: sagemaker:${operation} because no identity-based policy allows the sagemaker:${operation} action`,
      });
    const input = JSON.parse(body || '{}') as Record<string, unknown>;
    const answer = this.operation(operation, input);
    if ('__type' in answer) return send(400, answer);
    send(200, answer);
  }

  private page<T>(all: T[], input: Record<string, unknown>, max: number) {
    const size = input.MaxResults === undefined ? max : Number(input.MaxResults);
    return paginate(all, Math.min(size, max), input.NextToken as string | undefined);
  }

  private operation(operation: string, input: Record<string, unknown>): Record<string, unknown> {
    const seconds = (ms: number) => ms / 1000;
    const invalid = (message: string) => ({ __type: 'ValidationException', message });
    switch (operation) {
      case 'ListModelPackageGroups': {
        const { items, next } = this.page(this.sortedModels(), input, 100);
        return {
          ModelPackageGroupSummaryList: items.map((g) => ({
            ModelPackageGroupName: g.name,
            ModelPackageGroupArn: `arn:aws:sagemaker:${this.region}:${ACCOUNT}:model-package-group/${g.name}`,
            CreationTime: seconds(g.created),
            ModelPackageGroupStatus: 'Completed',
          })),
          ...(next ? { NextToken: next } : {}),
        };
      }
      case 'ListModelPackages': {
        const group = this.models.get(String(input.ModelPackageGroupName));
        if (!group) return { ModelPackageSummaryList: [] };
        const all = [...group.versions].sort((a, b) => b.version - a.version);
        const { items, next } = this.page(all, input, 100);
        return {
          ModelPackageSummaryList: items.map((v) => ({
            ModelPackageName: group.name,
            ModelPackageGroupName: group.name,
            ModelPackageVersion: v.version,
            ModelPackageArn: this.arn(group.name, v.version),
            CreationTime: seconds(v.created),
            ModelPackageStatus: v.failed ? 'Failed' : 'Completed',
            ModelApprovalStatus: v.approval,
          })),
          ...(next ? { NextToken: next } : {}),
        };
      }
      case 'DescribeModelPackage': {
        const name = String(input.ModelPackageName);
        const match = /model-package\/([^/]+)\/(\d+)$/.exec(name);
        const group = match ? this.models.get(match[1]) : undefined;
        const v = group?.versions.find((x) => x.version === Number(match![2]));
        if (!group || !v) return invalid(`ModelPackage ${name} does not exist.`);
        return {
          ModelPackageName: group.name,
          ModelPackageGroupName: group.name,
          ModelPackageVersion: v.version,
          ModelPackageArn: this.arn(group.name, v.version),
          CreationTime: seconds(v.created),
          LastModifiedTime: seconds(v.updated),
          ModelPackageStatus: v.failed ? 'Failed' : 'Completed',
          ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
          ModelApprovalStatus: v.approval,
          CertifyForMarketplace: false,
          InferenceSpecification: {
            Containers: [
              {
                Image: `${ACCOUNT}.dkr.ecr.${this.region}.amazonaws.com/serve:latest`,
                ModelDataUrl: `s3://acme-models/${group.name}/${v.version}/model.tar.gz`,
              },
            ],
            SupportedContentTypes: ['text/csv'],
            SupportedResponseMIMETypes: ['text/csv'],
          },
        };
      }
      case 'ListEndpoints': {
        const all = [...this.endpoints]
          .filter(([, e]) => input.StatusEquals === undefined || e.status === input.StatusEquals)
          .sort(([a], [b]) => (a < b ? -1 : 1));
        const { items, next } = this.page(all, input, 100);
        return {
          Endpoints: items.map(([name, e]) => ({
            EndpointName: name,
            EndpointArn: `arn:aws:sagemaker:${this.region}:${ACCOUNT}:endpoint/${name}`,
            CreationTime: seconds(this.clock),
            LastModifiedTime: seconds(this.clock),
            EndpointStatus: e.status,
          })),
          ...(next ? { NextToken: next } : {}),
        };
      }
      case 'DescribeEndpoint': {
        const name = String(input.EndpointName);
        const e = this.endpoints.get(name);
        if (!e) return invalid(`Could not find endpoint "${name}".`);
        return {
          EndpointName: name,
          EndpointArn: `arn:aws:sagemaker:${this.region}:${ACCOUNT}:endpoint/${name}`,
          EndpointConfigName: e.config,
          EndpointStatus: e.status,
          CreationTime: seconds(this.clock),
          LastModifiedTime: seconds(this.clock),
        };
      }
      case 'DescribeEndpointConfig': {
        const name = String(input.EndpointConfigName);
        const models = this.configs.get(name);
        if (!models) return invalid(`Could not find endpoint configuration "${name}".`);
        return {
          EndpointConfigName: name,
          EndpointConfigArn: `arn:aws:sagemaker:${this.region}:${ACCOUNT}:endpoint-config/${name}`,
          ProductionVariants: models.map((model, i) => ({
            VariantName: `variant-${i + 1}`,
            ModelName: model,
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
            InitialVariantWeight: 1,
          })),
          CreationTime: seconds(this.clock),
        };
      }
      case 'DescribeModel': {
        const name = String(input.ModelName);
        const arn = this.smModels.get(name);
        if (!arn) return invalid(`Could not find model "${name}".`);
        return {
          ModelName: name,
          PrimaryContainer: { ModelPackageName: arn },
          ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/SageMakerExecution`,
          CreationTime: seconds(this.clock),
          ModelArn: `arn:aws:sagemaker:${this.region}:${ACCOUNT}:model/${name}`,
        };
      }
      default:
        return {
          __type: 'UnknownOperationException',
          message: `The stand-in does not serve ${operation}.`,
        };
    }
  }

  /** Every 4th group's last package approved (bench). */
  seedApproved(groups: number, versions: number): void {
    this.seed(groups, versions, (m: ScriptModel) => {
      m.versions[m.versions.length - 1].approval = 'Approved';
    });
  }
}

/**
 * EventBridge's "SageMaker Model Package State Change" event for a package of the stand-in's
 * account in us-east-1, as an API destination delivers it.
 */
export function packageEvent(
  id: string,
  group: string,
  version: number,
  approval: string,
  lastModified: string,
  created: string,
): Record<string, unknown> {
  const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package/${group}/${version}`;
  return {
    version: '0',
    id,
    'detail-type': 'SageMaker Model Package State Change',
    source: 'aws.sagemaker',
    account: ACCOUNT,
    time: lastModified,
    region: 'us-east-1',
    resources: [arn],
    detail: {
      ModelPackageGroupName: group,
      ModelPackageVersion: version,
      ModelPackageArn: arn,
      CreationTime: Date.parse(created),
      LastModifiedTime: Date.parse(lastModified),
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: approval,
    },
  };
}
