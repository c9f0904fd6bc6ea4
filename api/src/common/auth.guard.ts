import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { UnauthorizedError } from './errors.js';
import { TokenService } from './token.service.js';

export const PUBLIC_ROUTE = 'lastmile:public';
/** Routes that authenticate otherwise (webhook signatures) or must stay open (health). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameSecret(given: string, expected: string): boolean {
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The bearer token a request carries, '' without one. */
export function bearerToken(request: Request): string {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/** Whether a request carries the admin token. */
export function isAdminRequest(request: Request, tokens: TokenService): boolean {
  const token = bearerToken(request);
  return token !== '' && sameSecret(token, tokens.adminToken);
}

/** Writes need the admin token; reads need a token only when LASTMILE_READ_TOKEN is set. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (isAdminRequest(request, this.tokens)) return true;
    if (READ_METHODS.has(request.method)) {
      const token = bearerToken(request);
      const readToken = this.tokens.readToken;
      if (readToken === undefined) return true;
      if (token !== '' && sameSecret(token, readToken)) return true;
    }
    throw new UnauthorizedError();
  }
}
