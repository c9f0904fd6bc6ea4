import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, RequestAbortedError } from './errors.js';
import { BODY_LIMITS, bodyLimitMessage } from './request-gate.js';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
}

/** The one place where errors become HTTP responses, in api.md's format. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    if (status >= 500) {
      const error = exception as Error;
      this.logger.error(
        `${error?.name ?? 'Error'}: ${error?.message ?? String(exception)}`,
        error?.stack,
      );
    }
    if (response.headersSent) return;
    response.status(status).json(body);
  }

  private toResponse(exception: unknown): { status: number; body: object } {
    if (exception instanceof DomainError) {
      const body: Record<string, unknown> = { error: exception.code, message: exception.message };
      if (exception.details.length > 0) body.details = exception.details;
      return { status: exception.status, body };
    }
    // Express's own errors (the body parsers', a bad percent-encoding) come wrapped by Nest.
    const cause = exception instanceof HttpException ? (exception.cause as BodyParserError) : null;
    if (cause?.type) return this.toResponse(cause);
    const parserError = exception as BodyParserError;
    if (parserError?.type === 'entity.too.large') {
      return {
        status: 413,
        body: {
          error: 'payload_too_large',
          message: bodyLimitMessage(parserError.limit ?? BODY_LIMITS.ingest),
        },
      };
    }
    if (parserError?.type === 'entity.parse.failed') {
      return {
        status: 400,
        body: { error: 'invalid_json', message: 'The body is not valid JSON.' },
      };
    }
    // The client stopped sending: nobody reads this answer, and it is no fault of the server's.
    if (parserError?.type === 'request.aborted') return this.toResponse(new RequestAbortedError());
    if (parserError?.type === 'entity.invalid.utf8') {
      return {
        status: 400,
        body: { error: 'invalid_utf8', message: 'The body is not valid UTF-8.' },
      };
    }
    if (
      parserError?.type === 'encoding.unsupported' ||
      parserError?.type === 'charset.unsupported'
    ) {
      return {
        status: 415,
        body: { error: 'unsupported_media_type', message: 'Send UTF-8 JSON.' },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest wraps the body parser's errors: a body over the limit, or one that is not JSON.
      if (status === 413) return this.toResponse({ type: 'entity.too.large' });
      if (status === 400 && /JSON/i.test(exception.message))
        return this.toResponse({ type: 'entity.parse.failed' });
      const code =
        status === 404 ? 'not_found' : status === 429 ? 'too_many_requests' : 'http_error';
      const message = status === 404 ? 'No such endpoint.' : exception.message;
      return { status, body: { error: code, message } };
    }
    const pgCode = (exception as { code?: string })?.code;
    if (pgCode === '23505') {
      return {
        status: 409,
        body: {
          error: 'conflict',
          message: 'This conflicts with a row that already exists under another id.',
          details: [{ path: '', message: (exception as { detail?: string }).detail ?? '' }],
        },
      };
    }
    return {
      status: 500,
      body: {
        error: 'internal_error',
        message: 'Something went wrong on the server; it is logged.',
      },
    };
  }
}
