// Domain errors: small classes with a code and a status, mapped to the api.md error format by
// HttpErrorFilter. Services throw them; controllers never catch.

import type { ErrorDetail } from './error.contract.js';

export type { ErrorDetail } from './error.contract.js';

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export class ValidationFailedError extends DomainError {
  constructor(details: ErrorDetail[], message?: string) {
    const count = details.length;
    super(
      400,
      'validation_failed',
      message ??
        `${count} problem${count === 1 ? '' : 's'} found; nothing was written. Fix ${count === 1 ? 'it' : 'them'} and send again.`,
      details,
    );
  }
}

export class BadRequestError extends DomainError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(400, code, message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Send a valid token as "Authorization: Bearer <token>".') {
    super(401, 'unauthorized', message);
  }
}

/** The client stopped sending a body before its end. */
export class RequestAbortedError extends DomainError {
  constructor() {
    super(400, 'request_aborted', 'The client stopped sending the body before its end.');
  }
}

/** A body that did not arrive within its route's time. */
export class RequestTimeoutError extends DomainError {
  constructor(seconds: number) {
    super(408, 'request_timeout', `The body did not arrive within ${seconds} s.`);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

/** Checks that a query has only known parameters; unknown ones are a 400 naming each. */
export function rejectUnknownParams(
  query: Record<string, unknown>,
  known: readonly string[],
): void {
  const unknown = Object.keys(query).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new ValidationFailedError(
      unknown.map((key) => ({
        path: key,
        message: `is not a known parameter (known: ${known.join(', ')})`,
      })),
    );
  }
}
