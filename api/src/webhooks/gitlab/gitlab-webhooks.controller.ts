import { Controller, Headers, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../common/auth.guard.js';
import { ApiJsonResponse } from '../../openapi/contract.decorators.js';
import { deliveryResultSchema } from '../webhook.contract.js';
import { type GitlabDeliveryResult, GitlabWebhooksService } from './gitlab-webhooks.service.js';

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class GitlabWebhooksController {
  constructor(private readonly webhooks: GitlabWebhooksService) {}

  /** Authenticated by X-Gitlab-Token against the source's webhook secret, not by token. */
  @Public()
  @Post('gitlab')
  @HttpCode(200)
  @ApiOperation({
    summary: 'GitLab project or group webhooks',
    description:
      'Merge request, note, deployment, pipeline and issue events of a project a GitLab source tracks, with the secret token set to the value of its webhook_secret_env (sent as X-Gitlab-Token). A delivery sent again with the same Idempotency-Key is acknowledged as a duplicate. Other events are acknowledged and ignored, as is a payload older than the stored version of its object (an MR or issue by updated_at, a deployment by status_changed_at, a pipeline by finished_at, else created_at), whatever its Idempotency-Key; a late note or approval only adds its response.',
  })
  @ApiBody({
    description: 'The event as GitLab sends it (X-Gitlab-Event names it)',
    schema: { type: 'object' },
  })
  @ApiJsonResponse(deliveryResultSchema)
  receive(
    @Req() request: RawBodyRequest<Request>,
    @Headers('x-gitlab-event') event: string | undefined,
    @Headers('x-gitlab-token') token: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<GitlabDeliveryResult> {
    return this.webhooks.receive({ body: request.rawBody, event, token, idempotencyKey });
  }
}
