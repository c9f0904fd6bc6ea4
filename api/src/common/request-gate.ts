import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  DomainError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationFailedError,
} from './errors.js';
import { findBadText } from './text-input.js';

/** The largest body each kind of route reads; see README "Limits". */
export const BODY_LIMITS = {
  /** POST /api/v1/events: 10,000 events. */
  ingest: 10 * 1024 * 1024,
  /** GitHub and MLflow deliveries: a pull request's payload is tens of kilobytes. */
  webhook: 2 * 1024 * 1024,
  /** Every other write: a decision, a team, a source, a report request. */
  write: 256 * 1024,
} as const;

/**
 * Webhook bodies read at once. They are read before their signature can be checked, so this (with
 * BODY_LIMITS.webhook) bounds what unauthenticated requests can make the API hold: 8 MB.
 */
export const WEBHOOK_BODIES_AT_ONCE = 4;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Each webhook route and the header without which its body is not read. */
const WEBHOOK_SIGNATURES: Record<string, string> = {
  '/api/v1/webhooks/github': 'x-hub-signature-256',
  '/api/v1/webhooks/mlflow': 'x-mlflow-signature',
  // GitLab sends the hook's secret token itself.
  '/api/v1/webhooks/gitlab': 'x-gitlab-token',
  // EventBridge API destinations send a shared secret in a header rather than a signature.
  '/api/v1/webhooks/sagemaker': 'x-lastmile-secret',
};

/**
 * A path as the router matches it: routes match case-insensitively and with or without trailing
 * slashes, so the gate compares this spelling.
 */
export function canonicalPath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // Left encoded: such a path matches no route either.
  }
  return (
    decoded
      .toLowerCase()
      .replace(/\/{2,}/g, '/')
      .replace(/\/+$/, '') || '/'
  );
}

export type RouteKind = 'read' | 'ingest' | 'webhook' | 'write';

export function routeKind(method: string, path: string, ingestPath: string): RouteKind {
  if (READ_METHODS.has(method.toUpperCase())) return 'read';
  const canonical = canonicalPath(path);
  if (canonical === ingestPath) return 'ingest';
  if (WEBHOOK_SIGNATURES[canonical] !== undefined) return 'webhook';
  return 'write';
}

interface GateOptions {
  isAdmin: (request: Request) => boolean;
  /** The ingest admission: lets a few batches be read at once. */
  admitIngest: (request: Request, response: Response, next: NextFunction) => void;
  ingestPath: string;
}

/**
 * Ahead of everything that reads a body. Reads never have their body read. Writes are refused
 * without the admin token before a byte of their body is read; webhooks (signed, not tokened) need
 * their signature header and are read a few at a time. Each kind is held to its own body limit,
 * and a JSON body must be UTF-8 with no NUL and no lone surrogate in any string.
 */
export function requestGate(options: GateOptions) {
  const verify = (request: IncomingMessage & { rawBody?: Buffer }, kind: RouteKind) =>
    function verifyBytes(_: IncomingMessage, __: unknown, bytes: Buffer): void {
      if (!isUtf8(bytes)) {
        throw Object.assign(new Error('The body is not valid UTF-8.'), {
          status: 400,
          type: 'entity.invalid.utf8',
        });
      }
      // Signatures are computed over the exact bytes received.
      if (kind === 'webhook') request.rawBody = bytes;
    };
  const parsers = (request: Request, kind: Exclude<RouteKind, 'read'>) => {
    const limit = BODY_LIMITS[kind];
    const list = [express.json({ limit, verify: verify(request, kind) })];
    if (kind === 'ingest')
      list.push(
        express.text({ type: 'application/x-ndjson', limit, verify: verify(request, kind) }),
      );
    return list;
  };
  const readBody = (
    kind: Exclude<RouteKind, 'read'>,
    request: Request,
    response: Response,
    next: NextFunction,
  ) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > BODY_LIMITS[kind]) {
      // Refused on its declared length, unread.
      response.setHeader('Connection', 'close');
      next(new PayloadTooLargeError(bodyLimitMessage(BODY_LIMITS[kind])));
      return;
    }
    const list = parsers(request, kind);
    const run = (index: number, error?: unknown): void => {
      if (error) return next(error);
      if (index === list.length) return checkText(request, next);
      list[index](request, response, (e?: unknown) => run(index + 1, e));
    };
    run(0);
  };

  let webhooksReading = 0;
  const webhookQueue: (() => void)[] = [];

  return (request: Request, response: Response, next: NextFunction): void => {
    const kind = routeKind(request.method, request.path, options.ingestPath);
    const queryProblem = findBadText(request.query, '');
    const pathProblem = findBadText(safeDecode(request.path), 'path');
    if (queryProblem || pathProblem) {
      next(new ValidationFailedError([(queryProblem ?? pathProblem)!]));
      return;
    }
    if (kind === 'read') return next();
    if (kind === 'webhook') {
      const header = WEBHOOK_SIGNATURES[canonicalPath(request.path)];
      if (!request.headers[header]) {
        response.setHeader('Connection', 'close');
        next(
          new DomainError(401, 'invalid_signature', `Sign the delivery: ${header} is required.`),
        );
        return;
      }
      const start = () => {
        webhooksReading += 1;
        let done = false;
        const release = () => {
          if (done) return;
          done = true;
          webhooksReading -= 1;
          while (webhooksReading < WEBHOOK_BODIES_AT_ONCE && webhookQueue.length > 0)
            webhookQueue.shift()?.();
        };
        response.once('finish', release);
        response.once('close', release);
        readBody('webhook', request, response, next);
      };
      if (webhooksReading < WEBHOOK_BODIES_AT_ONCE) start();
      else webhookQueue.push(start);
      return;
    }
    if (!options.isAdmin(request)) {
      // The body is left unread: the connection closes after the answer.
      response.setHeader('Connection', 'close');
      next(new UnauthorizedError());
      return;
    }
    if (kind === 'ingest') {
      options.admitIngest(request, response, () => readBody('ingest', request, response, next));
      return;
    }
    readBody('write', request, response, next);
  };
}

/** The 413's message for a body over `limit` bytes. */
export function bodyLimitMessage(limit: number): string {
  if (limit >= BODY_LIMITS.ingest)
    return 'The body is over 10 MB; send at most 10,000 events or 10 MB a request.';
  const size = limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MB` : `${limit / 1024} KB`;
  return `The body is over ${size}, this route's limit.`;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function checkText(request: Request, next: NextFunction): void {
  const body: unknown = request.body;
  // NDJSON is checked line by line where it is parsed.
  if (typeof body === 'string' || body === undefined) return next();
  const problem = findBadText(body, '');
  if (problem) return next(new ValidationFailedError([problem]));
  next();
}
