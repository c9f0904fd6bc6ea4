import { request as httpRequest } from 'node:http';

export interface PartialAnswer {
  status: number;
  body: {
    error?: string;
    message?: string;
    status?: string;
    accepted?: number;
    details?: unknown[];
  };
}

/**
 * A request to the API on localhost that declares `declared` bytes of JSON and sends only `sent`
 * of them: an answer that comes before the rest is sent was given without reading the body. Send
 * the rest with `req.end(...)`, or drop it with `req.destroy()`.
 */
export function partialRequest(options: {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  declared: number;
  sent: string;
}) {
  const req = httpRequest({
    host: '127.0.0.1',
    port: options.port,
    method: options.method,
    path: options.path,
    headers: {
      'content-type': 'application/json',
      'content-length': options.declared,
      ...options.headers,
    },
  });
  const answer = new Promise<PartialAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
  req.write(options.sent);
  return { req, answer };
}
