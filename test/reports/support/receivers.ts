import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// Local stand-ins for what reports are delivered to: an HTTP receiver (Slack, webhooks, GitHub's
// issues API) and an SMTP server. Real sockets on 127.0.0.1; nothing reaches the internet.

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Answers the next requests to a path with these statuses, then 2xx again. */
  failNext(path: string, statuses: number[]): void;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const failures = new Map<string, number[]>();
  const issues = new Map<string, { number: number; title: string; labels: string[] }[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const status = failures.get(path)?.shift();
      if (status) {
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end('stand-in failure');
        return;
      }
      const issuesPath = /^(.*\/repos\/[^/]+\/[^/]+\/issues)(\?.*)?$/.exec(path);
      if (issuesPath && req.method === 'GET') {
        // GitHub's list of issues (newest first), filtered by label as the stand-in knows it.
        const label = new URLSearchParams(issuesPath[2] ?? '').get('labels');
        const found = (issues.get(issuesPath[1]) ?? []).filter(
          (i) => !label || i.labels.includes(label),
        );
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify([...found].reverse()));
        return;
      }
      if (issuesPath) {
        // GitHub answers 201 with the issue it made.
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          title: string;
          labels?: string[];
        };
        const list = issues.get(issuesPath[1]) ?? [];
        const issue = { number: list.length + 1, title: input.title, labels: input.labels ?? [] };
        issues.set(issuesPath[1], [...list, issue]);
        res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify(issue));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'); // what Slack answers
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (path, statuses) => failures.set(path, [...statuses]),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(credentials: {
  user: string;
  pass: string;
}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) {
        callback(null, { user: auth.username });
      } else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The decoded body of a MIME part of a given content type (quoted-printable or base64). */
export function mimePart(raw: string, contentType: string): string | undefined {
  const parts = raw.split(/\r?\n--[^\r\n]+/);
  for (const part of parts) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = part.slice(0, split);
    if (!new RegExp(`content-type:\\s*${contentType}`, 'i').test(headers)) continue;
    const body = part.slice(split).trim();
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1].toLowerCase();
    if (encoding === 'base64')
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  }
  return undefined;
}

/** The base64 parts of a MIME message of a content type, with their Content-ID. */
export function mimeAttachments(
  raw: string,
  contentType: string,
): { contentId: string | undefined; content: Buffer }[] {
  return raw.split(/\r?\n--[^\r\n]+/).flatMap((part) => {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) return [];
    const headers = part.slice(0, split);
    if (!new RegExp(`content-type:\\s*${contentType}`, 'i').test(headers)) return [];
    if (!/content-transfer-encoding:\s*base64/i.test(headers)) return [];
    return [
      {
        contentId: /content-id:\s*<([^>]+)>/i.exec(headers)?.[1],
        content: Buffer.from(part.slice(split).replace(/\s+/g, ''), 'base64'),
      },
    ];
  });
}
