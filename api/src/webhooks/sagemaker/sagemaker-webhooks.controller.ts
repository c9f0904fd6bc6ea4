import { Controller, Headers, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../common/auth.guard.js';
import {
  SAGEMAKER_SECRET_HEADER,
  type SagemakerDeliveryResult,
  SagemakerWebhooksService,
} from './sagemaker-webhooks.service.js';

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class SagemakerWebhooksController {
  constructor(private readonly webhooks: SagemakerWebhooksService) {}

  /** Authenticated by X-Lastmile-Secret against the source's secret_env, not by token. */
  @Public()
  @Post('sagemaker')
  @HttpCode(200)
  receive(
    @Req() request: RawBodyRequest<Request>,
    @Headers(SAGEMAKER_SECRET_HEADER) secret: string | undefined,
  ): Promise<SagemakerDeliveryResult> {
    return this.webhooks.receive(request.rawBody, secret);
  }
}
