import { Controller, Headers, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../common/auth.guard.js';
import { ApiJsonResponse } from '../../openapi/contract.decorators.js';
import { deliveryResultSchema } from '../webhook.contract.js';
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
  @ApiOperation({
    summary: 'SageMaker Model Registry events from an EventBridge API destination',
    description:
      'EventBridge\'s "SageMaker Model Package State Change" events, sent with the source\'s secret (the value of its secret_env) in the X-Lastmile-Secret header. An event older (by LastModifiedTime) than the stored version of its model package is acknowledged and ignored, whatever its id. Polling still reconciles.',
  })
  @ApiBody({
    description: 'The EventBridge event as the API destination sends it',
    schema: { type: 'object' },
  })
  @ApiJsonResponse(deliveryResultSchema)
  receive(
    @Req() request: RawBodyRequest<Request>,
    @Headers(SAGEMAKER_SECRET_HEADER) secret: string | undefined,
  ): Promise<SagemakerDeliveryResult> {
    return this.webhooks.receive(request.rawBody, secret);
  }
}
