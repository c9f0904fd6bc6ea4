import { Controller, Headers, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../common/auth.guard.js';
import { ApiJsonResponse } from '../../openapi/contract.decorators.js';
import { mlflowDeliveryResultSchema } from '../webhook.contract.js';
import { type MlflowDeliveryResult, MlflowWebhooksService } from './mlflow-webhooks.service.js';

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class MlflowWebhooksController {
  constructor(private readonly webhooks: MlflowWebhooksService) {}

  /** Authenticated by X-MLflow-Signature against the source's webhook secret, not by token. */
  @Public()
  @Post('mlflow')
  @HttpCode(200)
  @ApiBody({
    description: 'The delivery as MLflow sends it; X-MLflow-Signature signs its bytes',
    schema: { type: 'object' },
  })
  @ApiJsonResponse(mlflowDeliveryResultSchema)
  @ApiOperation({
    summary: 'MLflow 3.3+ registry webhooks',
    description:
      'model_version.created, model_version_alias.created and model_version_alias.deleted, signed with the webhook secret of an MLflow source (webhook_secret_env). Other events are acknowledged and ignored, as is a delivery whose change (the timestamp in its body) is older than the newest stored for its alias or version.',
  })
  receive(
    @Req() request: RawBodyRequest<Request>,
    @Headers('x-mlflow-delivery-id') deliveryId: string | undefined,
    @Headers('x-mlflow-timestamp') timestamp: string | undefined,
    @Headers('x-mlflow-signature') signature: string | undefined,
  ): Promise<MlflowDeliveryResult> {
    return this.webhooks.receive({ body: request.rawBody, deliveryId, timestamp, signature });
  }
}
