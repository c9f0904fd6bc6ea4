import { randomUUID } from 'node:crypto';
import { open, readdir, readFile, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './processes.js';
import {
  DomainError,
  type PayloadTooLargeError,
  RequestAbortedError,
  RequestTimeoutError,
} from './errors.js';

/** An HMAC over a body fed to it as it arrives; `matches` once the body has ended. */
export interface BodySigner {
  update(chunk: Buffer): void;
  matches(): boolean;
}

const SPOOL_PREFIX = 'lastmile-webhook-';

/** Where bodies wait for their signature to be checked: each in a file of its own, 0600. */
export function spoolPath(): string {
  return join(tmpdir(), `${SPOOL_PREFIX}${process.pid}-${randomUUID()}.part`);
}

/**
 * Removes the bodies a process left when it was killed mid-delivery (its pid no longer runs): each
 * is removed when its delivery is answered, so only a process that died leaves one. Returns how
 * many were removed.
 */
export async function removeDeadSpools(): Promise<number> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const pid = new RegExp(`^${SPOOL_PREFIX}(\\d+)-[\\w-]+\\.part$`).exec(name)?.[1];
    if (!pid || isAlive(Number(pid))) continue;
    await unlink(join(tmpdir(), name)).then(
      () => (removed += 1),
      () => undefined,
    );
  }
  return removed;
}

/**
 * Reads a signed body without holding it: each chunk goes to the signers and to a file, one chunk
 * in memory at a time, so a stranger's body costs disk, not heap. Only when one signer matches is
 * the body read back into memory. `undefined` when none does. Throws a 413 past `limit` bytes and a
 * 408 when the body has not arrived within `deadlineMs` (a slow sender would hold its place among
 * the few bodies read at once), leaving the rest unread; a 400 when the client stops sending.
 */
export async function readSignedBody(
  request: IncomingMessage,
  options: { limit: number; deadlineMs: number; tooLarge: () => PayloadTooLargeError },
  signers: BodySigner[],
): Promise<Buffer | undefined> {
  const path = spoolPath();
  const file = await open(path, 'wx', 0o600);
  // Not destroyed when left early: the refusal is still answered on its connection.
  const chunks = request.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), options.deadlineMs);
  });
  try {
    let size = 0;
    let aborted = false;
    request.once('aborted', () => (aborted = true));
    try {
      for (;;) {
        const next = await Promise.race([chunks.next(), deadline]);
        if (next === 'late') throw new RequestTimeoutError(options.deadlineMs / 1000);
        if (next.done) break;
        size += next.value.length;
        if (size > options.limit) throw options.tooLarge();
        for (const signer of signers) signer.update(next.value);
        await file.write(next.value);
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new RequestAbortedError();
    }
    if (aborted || !request.complete) throw new RequestAbortedError();
    await file.close();
    // Every signer is asked, so the time taken does not say which secret matched.
    const matched = signers.filter((signer) => signer.matches()).length > 0;
    return matched ? await readFile(path) : undefined;
  } finally {
    clearTimeout(timer);
    if (!request.complete) request.pause();
    // Not awaited: after a deadline a read is still pending, and this waits for it to settle.
    chunks.return?.().catch(() => undefined);
    await file.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
  }
}
