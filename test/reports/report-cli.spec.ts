import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { runReportCommand } from '../../api/src/cli/report-command.js';
import { loadConfig } from '../../api/src/config/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type HttpReceiver, startHttpReceiver } from './support/receivers.js';
import {
  createReportApp,
  describeWithServer,
  noteSkippedWithoutServer,
} from './support/report-app.js';
import { PLATFORM_TEAM, seedTwoWeeks } from './support/seed.js';

noteSkippedWithoutServer('test/reports/report-cli.spec.ts');

describeWithServer('npm run report', () => {
  let database: TestDatabase;
  let http: HttpReceiver;
  let configPath: string;
  let dataDir: string;

  beforeAll(async () => {
    http = await startHttpReceiver();
    database = await createTestDatabase();
    const file = {
      timezone: 'UTC',
      teams: [PLATFORM_TEAM],
      reports: {
        channels: [
          { kind: 'webhook', name: 'hook', url_env: 'HOOK_URL' },
          { kind: 'slack', name: 'unset', webhook_url_env: 'NOT_SET_ANYWHERE' },
        ],
      },
    };
    const seeder = await createReportApp({ database, file });
    await seedTwoWeeks(seeder.http);
    await seeder.app.close();
    const dir = mkdtempSync(join(tmpdir(), 'lastmile-report-cli-'));
    configPath = join(dir, 'lastmile.yaml');
    writeFileSync(configPath, YAML.stringify(file));
    dataDir = join(dir, 'data');
  });
  afterAll(async () => {
    await http?.close();
    await database?.drop();
  });

  const run = async (...argv: string[]) => {
    const out = { stdout: '', stderr: '', code: -1 };
    // A token of its own: a first start would otherwise make one (in the checkout) and say so.
    const config = loadConfig({
      LASTMILE_CONFIG: configPath,
      LASTMILE_DATA_DIR: dataDir,
      LASTMILE_ADMIN_TOKEN: 'report-cli-admin-token-0123',
      HOOK_URL: `${http.url}/hook`,
    });
    out.code = await runReportCommand(
      argv,
      config,
      { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text) },
      database.target,
    );
    return out;
  };

  it('prints a team report as Markdown, making it first', async () => {
    const out = await run('--week', '2026-W09', '--team', 'platform', '--format', 'md');
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout.split('\n')[0]).toBe('# Lastmile weekly report 2026-W09: team platform');
    expect(out.stdout).toContain('| PR throughput | 2 |');
    expect(http.requests).toHaveLength(0); // printing does not deliver
  });

  it('prints the same stored report as JSON and HTML', async () => {
    const json = await run('--week', '2026-W09', '--team', 'platform', '--format', 'json');
    const first = JSON.parse(json.stdout);
    expect(first).toMatchObject({ week: '2026-W09', scope: { team: 'platform' } });
    const again = JSON.parse(
      (await run('--week', '2026-W09', '--team', 'platform', '--format', 'json')).stdout,
    );
    expect(again.id).toBe(first.id);
    expect(again.generated_at).toBe(first.generated_at);
    const html = await run('--week', '2026-W09', '--team', 'platform', '--format', 'html');
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
  });

  it('delivers with --deliver and says how each channel fared', async () => {
    const out = await run('--week', '2026-W09', '--deliver');
    expect(out.code).toBe(1); // the "unset" channel failed
    expect(out.stderr).toContain('hook: delivered after 1 attempt\n');
    expect(out.stderr).toContain(
      'unset: failed after 1 attempt (Slack channel "unset": the environment variable NOT_SET_ANYWHERE is not set)',
    );
    expect(http.requests).toHaveLength(1);
    expect(JSON.parse(http.requests[0].body).report.scope).toEqual({ team: null });
    const one = await run('--week', '2026-W09', '--deliver', '--channel', 'hook');
    expect(one).toMatchObject({ code: 0, stderr: 'hook: delivered after 1 attempt\n' });
    expect(http.requests).toHaveLength(2);
  });

  it.each([
    [['--week', '2026-W99'], 'week: must be an ISO week such as "2026-W09"'],
    [['--team', 'nobody', '--week', '2026-W09'], 'scope.team: "nobody" is not a known team'],
    [['--format', 'pdf'], 'Usage: npm run report'],
    [['--colour', 'red'], "Unknown option '--colour'"],
    [['--week', '2026-W09', '--deliver', '--channel', 'fax'], 'There is no report channel "fax"'],
  ])('exits 2 on %j', async (argv, message) => {
    const out = await run(...argv);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
  });
});
