import { createHmac } from 'node:crypto';
import request from 'supertest';
import { ReportDeliveryService } from '../../api/src/reports/report-delivery.service.js';
import { admin } from '../support/app.js';
import {
  type HttpReceiver,
  mimeAttachments,
  mimePart,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from './support/receivers.js';
import { createReportApp, type ReportApp } from './support/report-app.js';

describe('report delivery', () => {
  let t: ReportApp;
  let http: HttpReceiver;
  let smtp: SmtpReceiver;
  let reportId: string;
  const SMTP_PASSWORD = 'smtp-pass-8d1f0c';
  const HOOK_SECRET = 'hook-secret-4b7e';

  beforeAll(async () => {
    http = await startHttpReceiver();
    smtp = await startSmtpReceiver({ user: 'reporter', pass: SMTP_PASSWORD });
    t = await createReportApp({
      file: {
        timezone: 'UTC',
        reports: {
          channels: [
            { kind: 'slack', name: 'slack', webhook_url_env: 'SLACK_URL' },
            {
              kind: 'email',
              name: 'email',
              smtp_url_env: 'SMTP_URL',
              from: 'lastmile@acme.test',
              to: ['ml-leads@acme.test', 'cto@acme.test'],
            },
            {
              kind: 'github_issue',
              name: 'issues',
              repo: 'acme/reports',
              base_url: `${http.url}/github`,
              token_env: 'GH_TOKEN',
            },
            { kind: 'webhook', name: 'hook', url_env: 'HOOK_URL', secret_env: 'HOOK_SECRET' },
            { kind: 'webhook', name: 'flaky', url_env: 'FLAKY_URL' },
            { kind: 'slack', name: 'broken', webhook_url_env: 'BROKEN_URL' },
            { kind: 'webhook', name: 'unset', url_env: 'NOT_SET_ANYWHERE' },
          ],
        },
      },
      env: {
        SLACK_URL: `${http.url}/slack/T000/B000/secret-slack-path`,
        SMTP_URL: `smtp://reporter:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`,
        GH_TOKEN: 'gh-token-51c3a9',
        HOOK_URL: `${http.url}/hook`,
        HOOK_SECRET,
        FLAKY_URL: `${http.url}/flaky`,
        BROKEN_URL: `${http.url}/broken`,
      },
    });
    reportId = (
      await request(t.http)
        .post('/api/v1/reports')
        .set(admin)
        .send({ week: '2026-W09' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.app.close();
    await http.close();
    await smtp.close();
  });

  const received = (path: string) => http.requests.filter((r) => r.path.startsWith(path));
  const deliveries = async () =>
    (await request(t.http).get(`/api/v1/reports/${reportId}`).expect(200)).body.deliveries as {
      channel: string;
      status: string;
      attempts: number;
      last_error: string | null;
      delivered_at: string | null;
    }[];

  it('delivers to every channel, retries a failing one, and records each outcome', async () => {
    http.failNext('/flaky', [500, 503]); // two failures, then delivered on the third attempt
    http.failNext('/broken', [500, 500, 500]); // fails all three attempts
    const started = await request(t.http)
      .post(`/api/v1/reports/${reportId}/deliveries`)
      .set(admin)
      .send({})
      .expect(202);
    expect(started.body.deliveries).toHaveLength(7);
    expect(started.body.deliveries.every((d: { status: string }) => d.status === 'pending')).toBe(
      true,
    );
    await t.app.get(ReportDeliveryService).idle();

    const byChannel = Object.fromEntries((await deliveries()).map((d) => [d.channel, d]));
    for (const name of ['slack', 'email', 'issues', 'hook']) {
      expect(byChannel[name]).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
      expect(byChannel[name].delivered_at).not.toBeNull();
    }
    expect(byChannel.flaky).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
    expect(byChannel.broken).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'Slack channel "broken": HTTP 500 stand-in failure',
      delivered_at: null,
    });
    // A missing secret will not appear on a retry: one attempt, and the variable named, not a value.
    expect(byChannel.unset).toMatchObject({ status: 'failed', attempts: 1 });
    expect(byChannel.unset.last_error).toBe(
      'Webhook channel "unset": the environment variable NOT_SET_ANYWHERE is not set',
    );
    expect(received('/flaky')).toHaveLength(3);
    expect(received('/broken')).toHaveLength(3);
    const metrics = await request(t.http).get('/metrics').expect(200);
    expect(metrics.text).toContain('lastmile_errors_total{where="delivery"} 2'); // broken and unset
  });

  it('posts Block Kit to the Slack webhook', () => {
    const [slack] = received('/slack/');
    expect(slack.path).toBe('/slack/T000/B000/secret-slack-path');
    expect(slack.headers['content-type']).toBe('application/json');
    const message = JSON.parse(slack.body);
    expect(message.text).toBe('Lastmile weekly report 2026-W09: organisation');
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: message.text },
    });
    expect(
      message.blocks.filter((b: { type: string }) => b.type === 'section').length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('sends an email whose HTML has inline styles and the charts as inline PNG attachments', () => {
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail.user).toBe('reporter'); // the credentials of the smtp:// URL were used
    expect(mail.from).toBe('lastmile@acme.test');
    expect(mail.to).toEqual(['ml-leads@acme.test', 'cto@acme.test']);
    expect(mail.raw).toMatch(/^Subject: Lastmile weekly report 2026-W09: organisation\r?$/m);
    expect(mail.raw).toMatch(new RegExp(`^Message-ID: <report-${reportId}@lastmile>\\r?$`, 'm'));
    const html = mimePart(mail.raw, 'text/html') as string;
    expect(html).toContain('<h1 style="font-family:Helvetica,Arial,sans-serif;');
    expect(html).toContain('Headline metrics');
    expect(html).not.toMatch(/<style|<script/i);
    // Charts as PNG attachments shown by Content-ID: many clients show no SVG or data URI.
    expect(html).not.toContain('data:image');
    const sources = [...html.matchAll(/<img src="cid:([^"]+)"/g)].map((m) => m[1]);
    // The charted metrics, in the catalog's order.
    expect(sources).toEqual([
      'chart-lead_time_for_changes@lastmile',
      'chart-deployment_frequency@lastmile',
      'chart-models_in_production@lastmile',
      'chart-model_release_lead_time@lastmile',
    ]);
    const pngs = mimeAttachments(mail.raw, 'image/png');
    expect(pngs.map((p) => p.contentId)).toEqual(sources);
    for (const png of pngs) {
      expect(png.content.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect([png.content.readUInt32BE(16), png.content.readUInt32BE(20)]).toEqual([560, 160]);
    }
    expect(mimePart(mail.raw, 'text/plain')).toContain(
      '# Lastmile weekly report 2026-W09: organisation',
    );
  });

  it('opens a GitHub issue through the REST API of the base URL', () => {
    const [list, issue] = received('/github');
    // First a look for the same report's issue (an earlier attempt's answer may have been lost).
    expect(list.method).toBe('GET');
    const query = new URL(list.path, 'http://x').searchParams;
    expect(list.path.startsWith('/github/repos/acme/reports/issues?')).toBe(true);
    expect([query.get('labels'), query.get('state')]).toEqual(['lastmile-report', 'all']);
    expect(list.headers.authorization).toBe('Bearer gh-token-51c3a9');
    expect(issue.method).toBe('POST');
    expect(issue.path).toBe('/github/repos/acme/reports/issues');
    expect(issue.headers.authorization).toBe('Bearer gh-token-51c3a9');
    expect(issue.headers.accept).toBe('application/vnd.github+json');
    const body = JSON.parse(issue.body);
    expect(body.title).toBe('Lastmile weekly report 2026-W09: organisation');
    expect(body.body).toContain('## Headline metrics');
    expect(body.labels).toEqual(['lastmile-report']);
  });

  it('signs the generic webhook with HMAC-SHA256 of the exact body', () => {
    const [hook] = received('/hook');
    const expected = `sha256=${createHmac('sha256', HOOK_SECRET).update(hook.body).digest('hex')}`;
    expect(hook.headers['x-lastmile-signature-256']).toBe(expected);
    const wrong = `sha256=${createHmac('sha256', 'another-secret').update(hook.body).digest('hex')}`;
    expect(hook.headers['x-lastmile-signature-256']).not.toBe(wrong);
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({
      event: 'report.created',
      report_id: reportId,
      report: { week: '2026-W09' },
    });
    // A webhook without a secret is sent unsigned.
    expect(received('/flaky')[0].headers['x-lastmile-signature-256']).toBeUndefined();
  });

  it('resends to one channel through the API', async () => {
    const started = await request(t.http)
      .post(`/api/v1/reports/${reportId}/deliveries`)
      .set(admin)
      .send({ channel: 'broken' })
      .expect(202);
    expect(started.body.deliveries).toEqual([
      expect.objectContaining({ channel: 'broken', status: 'pending', attempts: 0 }),
    ]);
    await t.app.get(ReportDeliveryService).idle();
    const broken = (await deliveries()).find((d) => d.channel === 'broken');
    expect(broken).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
    expect(received('/broken')).toHaveLength(4);
    expect(received('/slack/')).toHaveLength(1); // the others were not sent again
    const unknown = await request(t.http)
      .post(`/api/v1/reports/${reportId}/deliveries`)
      .set(admin)
      .send({ channel: 'fax' })
      .expect(404);
    expect(unknown.body.message).toContain('There is no report channel "fax"');
  });

  it('takes up, once, the deliveries that a stopped process left pending', async () => {
    // A process stopped mid-delivery: nothing has touched these rows for an hour.
    await t.dataSource.query(
      `UPDATE report_deliveries SET status = 'pending', updated_at = now() - interval '1 hour'
       WHERE report_id = $1 AND channel IN ('hook', 'issues')`,
      [reportId],
    );
    await t.dataSource.query(
      `INSERT INTO report_deliveries (report_id, channel, status, updated_at)
       VALUES ($1, 'removed', 'pending', now() - interval '1 hour')`,
      [reportId],
    );
    const hooksBefore = received('/hook').length;
    const service = t.app.get(ReportDeliveryService);
    const [first, second] = await Promise.all([service.resumeStale(), service.resumeStale()]);
    expect(first + second).toBe(3); // each row claimed by one caller
    await service.idle();
    expect(received('/hook')).toHaveLength(hooksBefore + 1);
    const byChannel = Object.fromEntries((await deliveries()).map((d) => [d.channel, d]));
    expect(byChannel.hook).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(byChannel.issues).toMatchObject({ status: 'delivered', attempts: 1 });
    // The issue was already open: found by its title, not opened twice.
    expect(received('/github').filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(byChannel.removed).toMatchObject({
      status: 'failed',
      last_error: 'the channel "removed" is no longer in the config',
    });
    expect(await service.resumeStale()).toBe(0);
  });

  it('never shows a secret in the API', async () => {
    const text = JSON.stringify(
      (await request(t.http).get(`/api/v1/reports/${reportId}`).expect(200)).body,
    );
    for (const secret of [
      SMTP_PASSWORD,
      HOOK_SECRET,
      'gh-token-51c3a9',
      'secret-slack-path',
      http.url,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
