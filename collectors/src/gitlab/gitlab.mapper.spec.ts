import { hookTime, tracksProject } from './gitlab-webhook.mapper.js';
import {
  type GitlabMergeRequest,
  isGitlabBot,
  isIncident,
  landedSha,
  gitlabDeploymentOutcome,
} from './gitlab.mapper.js';
import { gitlabSourceSchema } from './gitlab.source.js';

const merged = (fields: Partial<GitlabMergeRequest>): GitlabMergeRequest => ({
  id: 1,
  iid: 1,
  state: 'merged',
  author: { username: 'alice' },
  created_at: '2026-02-02T09:00:00Z',
  updated_at: '2026-02-02T12:00:00Z',
  merged_at: '2026-02-02T12:00:00Z',
  target_branch: 'main',
  sha: 'head',
  ...fields,
});

describe('GitLab mapper', () => {
  it('takes the commit that reached the target branch', () => {
    expect(landedSha(merged({ merge_commit_sha: 'm' }))).toBe('m');
    // Squashed with a merge commit too: the squash commit, as asked.
    expect(landedSha(merged({ squash: true, squash_commit_sha: 's', merge_commit_sha: 'm' }))).toBe(
      's',
    );
    expect(
      landedSha(merged({ squash: true, squash_commit_sha: 's', merge_commit_sha: null })),
    ).toBe('s');
    // Fast-forward without squash: the MR's head is on the branch as it is.
    expect(landedSha(merged({ merge_commit_sha: null }))).toBe('head');
    expect(landedSha(merged({ state: 'opened', merged_at: null }))).toBeNull();
  });

  it('calls GitLab-flagged users, token bots and the pattern bots, and no one else', () => {
    expect(isGitlabBot({ username: 'alice' })).toBe(false);
    expect(isGitlabBot({ username: 'robot-ops' })).toBe(false);
    expect(isGitlabBot({ username: 'alice', bot: true })).toBe(true);
    expect(isGitlabBot({ username: 'group_7_bot_0c1f2e' })).toBe(true);
    expect(isGitlabBot({ username: 'renovate-bot' })).toBe(true);
    expect(isGitlabBot({ username: 'ci-runner' }, '^ci-')).toBe(true);
    expect(isGitlabBot({ username: 'renovate-bot' }, '^ci-')).toBe(false);
  });

  it('ends a deployment at its job, else at its update; canceled ones are neither', () => {
    const base = {
      id: 1,
      sha: 'a',
      created_at: '2026-02-03T12:00:00Z',
      updated_at: '2026-02-03T12:40:00Z',
      environment: { name: 'production' },
    };
    expect(
      gitlabDeploymentOutcome({
        ...base,
        status: 'success',
        deployable: { finished_at: '2026-02-03T12:30:00Z' },
      }),
    ).toEqual({ status: 'success', finishedAt: '2026-02-03T12:30:00Z' });
    expect(gitlabDeploymentOutcome({ ...base, status: 'failed', deployable: null })).toEqual({
      status: 'failure',
      finishedAt: '2026-02-03T12:40:00Z',
    });
    for (const status of ['canceled', 'running', 'created', 'blocked'])
      expect(gitlabDeploymentOutcome({ ...base, status })).toEqual({ status: 'none' });
  });

  it('knows incidents by type or label', () => {
    const issue = { iid: 1, state: 'opened', created_at: 'x', updated_at: 'x' };
    expect(isIncident({ ...issue, issue_type: 'incident' }, undefined)).toBe(true);
    expect(isIncident({ ...issue, type: 'Incident' }, undefined)).toBe(true);
    expect(isIncident({ ...issue, labels: ['Sev1'] }, 'sev1')).toBe(true);
    expect(isIncident({ ...issue, labels: [{ title: 'sev1' }] }, 'sev1')).toBe(true);
    expect(isIncident({ ...issue, labels: ['sev1'] }, undefined)).toBe(false);
    expect(isIncident({ ...issue, issue_type: 'issue' }, 'sev1')).toBe(false);
  });

  it('reads the time formats of webhook payloads', () => {
    expect(hookTime('2013-12-03T17:23:34Z')).toBe('2013-12-03T17:23:34.000Z');
    expect(hookTime('2015-05-17 18:21:36 UTC')).toBe('2015-05-17T18:21:36.000Z');
    expect(hookTime('2021-04-28 21:50:00 +0200')).toBe('2021-04-28T19:50:00.000Z');
    expect(hookTime('')).toBeNull();
    expect(hookTime('soon')).toBeNull();
  });

  it('tracks listed projects and the group’s within include and exclude', () => {
    const source = gitlabSourceSchema.parse({
      kind: 'gitlab',
      name: 'gl',
      token_env: 'T',
      projects: ['Other/Thing'],
      group: 'acme',
      include: ['^ml/'],
      exclude: ['legacy'],
    });
    expect(source.base_url).toBe('https://gitlab.com');
    expect(tracksProject(source, 'other/thing')).toBe(true);
    expect(tracksProject(source, 'acme/ml/serving')).toBe(true);
    expect(tracksProject(source, 'acme/ml/legacy-serving')).toBe(false);
    expect(tracksProject(source, 'acme/docs')).toBe(false);
    expect(tracksProject(source, 'acmeish/ml/serving')).toBe(false);
  });
});
