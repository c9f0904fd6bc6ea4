import { Controller, Headers, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../common/auth.guard.js';
import { ApiJsonResponse } from '../../openapi/contract.decorators.js';
import { githubDeliveryResultSchema } from '../webhook.contract.js';
import { type DeliveryResult, GithubWebhooksService } from './github-webhooks.service.js';

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class GithubWebhooksController {
  constructor(private readonly webhooks: GithubWebhooksService) {}

  /** Authenticated by X-Hub-Signature-256 against the source's webhook secret, not by token. */
  @Public()
  @Post('github')
  @HttpCode(200)
  @ApiBody({
    description: 'The delivery as GitHub sends it; X-Hub-Signature-256 signs its bytes',
    schema: { type: 'object' },
  })
  @ApiJsonResponse(githubDeliveryResultSchema)
  receive(
    @Req() request: RawBodyRequest<Request>,
    @Headers('x-github-event') event: string | undefined,
    @Headers('x-github-delivery') deliveryId: string | undefined,
    @Headers('x-hub-signature-256') signature: string | undefined,
  ): Promise<DeliveryResult> {
    return this.webhooks.receive({ body: request.rawBody, event, deliveryId, signature });
  }
}
