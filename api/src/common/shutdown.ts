/**
 * What an in-flight request (a 10,000-event batch takes a few seconds) has to finish after
 * SIGTERM or SIGINT. The server stops taking requests at once and waits for those in flight; past
 * this, the process exits, and PostgreSQL rolls back any transaction still open on its connections.
 * Under the 10 s a container runtime waits before it kills.
 */
export const SHUTDOWN_GRACE_MS = 8_000;

/** Bounds the graceful shutdown Nest runs on the same signals. */
export function boundShutdown(graceMs = SHUTDOWN_GRACE_MS): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      process.stdout.write(
        `${JSON.stringify({ level: 'info', time: new Date().toISOString(), pid: process.pid, context: 'shutdown', message: `${signal}: finishing requests in flight for at most ${graceMs / 1000} s` })}\n`,
      );
      setTimeout(() => {
        process.stderr.write(
          `${JSON.stringify({ level: 'error', time: new Date().toISOString(), pid: process.pid, context: 'shutdown', message: `requests still in flight after ${graceMs / 1000} s: exiting; their transactions roll back` })}\n`,
        );
        process.exit(1);
      }, graceMs).unref();
    });
  }
}
