import type { NextFunction, Request, Response } from 'express';

/**
 * Batches the API works on at once. Each holds its parsed events until it is written (about
 * 50 MB for 10,000 events): with two, one is parsed and validated while the other is written, and
 * the API stayed under 300 MB on the benchmark's million events; six clients posting at once took
 * it to 394 MB.
 */
export const INGEST_BATCHES_AT_ONCE = 2;

/** The ingest endpoint's route, for its controller and for the admission ahead of it. */
export const INGEST_ROUTE = 'api/v1/events';

/**
 * Lets POST /api/v1/events read its body `limit` batches at a time (the request gate has checked
 * its token). Past `limit`, a request waits its turn, first come first served, with its body still
 * unread: what a client sends beyond that stays in the network's buffers, not in the API's memory.
 */
export function ingestAdmission(limit = INGEST_BATCHES_AT_ONCE) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const admitNext = () => {
    while (running < limit && waiting.length > 0) waiting.shift()?.();
  };
  return (_: Request, response: Response, next: NextFunction): void => {
    let state: 'waiting' | 'admitted' | 'done' = 'waiting';
    const admit = () => {
      if (state !== 'waiting') return;
      state = 'admitted';
      running += 1;
      next();
    };
    const finish = () => {
      if (state === 'admitted') running -= 1;
      state = 'done';
      admitNext();
    };
    response.once('finish', finish);
    response.once('close', finish);
    if (running < limit) admit();
    else waiting.push(admit);
  };
}
