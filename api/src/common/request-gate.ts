import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  DomainError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationFailedError,
} from './errors.js';
import { type BodySigner, readSignedBody } from './signed-body.js';
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
 * Signed webhook bodies spooled at once. A body is written to a file while its signature is
 * computed, and read into memory only once it matches: this bounds the disk, not the memory,
 * unauthenticated requests can make the API use (8 MB); each holds one network chunk in memory.
 */
export const WEBHOOK_BODIES_AT_ONCE = 4;

/**
 * How long a signed webhook body may take to arrive (2 MB in 30 s is 70 KB/s): past it, 408, so a
 * slow sender cannot hold one of the few places for the 300 s Node gives a request.
 */
export const WEBHOOK_BODY_SECONDS = 30;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How the gate authenticates one webhook route before or while its body is read. */
export interface WebhookGateRoute {
  /** The header without which the body is not read. */
  header: string;
  /** The error a delivery that does not authenticate gets. */
  refusal: () => Error;
  /** A header holding the secret itself: whether it is one of the secrets (nothing is read). */
  token?: (headers: IncomingHttpHeaders, secrets: string[]) => boolean;
  /** A signature over the body: whether the headers can carry a valid one at `nowMs`. */
  usable?: (headers: IncomingHttpHeaders, nowMs: number) => boolean;
  signer?: (headers: IncomingHttpHeaders, secret: string, nowMs: number) => BodySigner;
}

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

export function routeKind(
  method: string,
  path: string,
  ingestPath: string,
  webhookPaths: Record<string, unknown>,
): RouteKind {
  if (READ_METHODS.has(method.toUpperCase())) return 'read';
  const canonical = canonicalPath(path);
  if (canonical === ingestPath) return 'ingest';
  if (Object.hasOwn(webhookPaths, canonical)) return 'webhook';
  return 'write';
}

interface GateOptions {
  isAdmin: (request: Request) => boolean;
  /** The ingest admission: lets a few batches be read at once. */
  admitIngest: (request: Request, response: Response, next: NextFunction) => void;
  ingestPath: string;
  webhooks: {
    /** Keyed by canonical path. */
    routes: Record<string, WebhookGateRoute>;
    /** The secrets the sources of a route's kind name (their values), by canonical path. */
    secrets: (path: string) => Promise<string[]>;
  };
}

/**
 * Ahead of everything that reads a body. Reads never have their body read. Writes are refused
 * without the admin token before a byte of their body is read. Webhooks (signed, not tokened) are
 * refused before their body is read when their secret header is wrong or no source has a secret;
 * a body signed by HMAC is spooled to disk, a few at a time, and read only once its signature
 * matches. Each kind is held to its own body limit,
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
    if (tooLong(request, BODY_LIMITS[kind])) {
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
    const kind = routeKind(
      request.method,
      request.path,
      options.ingestPath,
      options.webhooks.routes,
    );
    const queryProblem = findBadText(request.query, '');
    const pathProblem = findBadText(safeDecode(request.path), 'path');
    if (queryProblem || pathProblem) {
      next(new ValidationFailedError([(queryProblem ?? pathProblem)!]));
      return;
    }
    if (kind === 'read') return next();
    if (kind === 'webhook') {
      const route = options.webhooks.routes[canonicalPath(request.path)];
      const refuse = (error: Error) => {
        // The body is left unread: the connection closes after the answer.
        response.setHeader('Connection', 'close');
        next(error);
      };
      if (!request.headers[route.header])
        return refuse(
          new DomainError(
            401,
            'invalid_signature',
            `Sign the delivery: ${route.header} is required.`,
          ),
        );
      if (tooLong(request, BODY_LIMITS.webhook))
        return refuse(new PayloadTooLargeError(bodyLimitMessage(BODY_LIMITS.webhook)));
      const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (encoding !== 'identity')
        return refuse(new UnsupportedMediaTypeError('Send the delivery uncompressed.'));
      if (!request.is('application/json')) {
        // Left unread: the route answers that it takes JSON.
        response.setHeader('Connection', 'close');
        return next();
      }
      options.webhooks.secrets(canonicalPath(request.path)).then((secrets) => {
        const now = Date.now();
        if (route.token) {
          if (!route.token(request.headers, secrets)) return refuse(route.refusal());
          return readBody('webhook', request, response, next);
        }
        if (secrets.length === 0 || !route.usable!(request.headers, now))
          return refuse(route.refusal());
        const start = () => {
          webhooksReading += 1;
          const signers = secrets.map((secret) => route.signer!(request.headers, secret, now));
          readSignedBody(
            request,
            {
              limit: BODY_LIMITS.webhook,
              deadlineMs: WEBHOOK_BODY_SECONDS * 1000,
              tooLarge: () => new PayloadTooLargeError(bodyLimitMessage(BODY_LIMITS.webhook)),
            },
            signers,
          )
            .finally(() => {
              webhooksReading -= 1;
              while (webhooksReading < WEBHOOK_BODIES_AT_ONCE && webhookQueue.length > 0)
                webhookQueue.shift()?.();
            })
            .then((bytes) => {
              if (!bytes) return refuse(route.refusal());
              parseJson(request, bytes);
              checkText(request, next);
            })
            .catch((error: Error) => refuse(error));
        };
        if (webhooksReading < WEBHOOK_BODIES_AT_ONCE) start();
        else webhookQueue.push(start);
      }, next);
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

/** Whether the declared length is over `limit`: such a body is refused unread. */
function tooLong(request: Request, limit: number): boolean {
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}

/** A signed body as express.json would parse it: UTF-8, an object or an array. */
function parseJson(request: Request & { rawBody?: Buffer }, bytes: Buffer): void {
  if (!isUtf8(bytes))
    throw Object.assign(new Error('The body is not valid UTF-8.'), {
      status: 400,
      type: 'entity.invalid.utf8',
    });
  const text = bytes.toString('utf8');
  const parsed: unknown = /^[\s]*[{[]/.test(text) ? tryParse(text) : undefined;
  if (parsed === undefined)
    throw Object.assign(new Error('The body is not valid JSON.'), {
      status: 400,
      type: 'entity.parse.failed',
    });
  request.rawBody = bytes;
  request.body = parsed;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
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
