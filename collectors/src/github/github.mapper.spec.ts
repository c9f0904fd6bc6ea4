import {
  deploymentOutcome,
  type GithubComment,
  type GithubPull,
  indexComments,
  isBot,
  mapPullRequest,
} from './github.mapper.js';

describe('GitHub mapper rules', () => {
  it.each([
    [
      [
        { state: 'success', created_at: '2024-01-01T00:01:00Z' },
        { state: 'success', created_at: '2024-01-01T00:05:00Z' },
      ],
      { status: 'success', finishedAt: '2024-01-01T00:05:00Z' },
    ],
    [
      [
        { state: 'failure', created_at: '2024-01-01T00:01:00Z' },
        { state: 'error', created_at: '2024-01-01T00:02:00Z' },
      ],
      { status: 'failure', finishedAt: '2024-01-01T00:02:00Z' },
    ],
    [
      [
        { state: 'failure', created_at: '2024-01-01T00:01:00Z' },
        { state: 'success', created_at: '2024-01-01T00:03:00Z' },
      ],
      { status: 'success', finishedAt: '2024-01-01T00:03:00Z' },
    ],
    [[{ state: 'in_progress', created_at: '2024-01-01T00:01:00Z' }], { status: 'pending' }],
    [[], { status: 'pending' }],
  ])('deployment statuses %j -> %j', (statuses, outcome) => {
    expect(deploymentOutcome(statuses)).toEqual(outcome);
  });

  it.each([
    [{ login: 'codecov[bot]' }, true],
    [{ login: 'renovate', type: 'Bot' }, true],
    [{ login: 'alice', type: 'User' }, false],
    [null, false],
  ])('isBot(%j) = %s', (user, bot) => expect(isBot(user)).toBe(bot));

  it("indexes each person's earliest comment per PR, ignoring plain issues", () => {
    const comment = (id: number, login: string, at: string, url: string): GithubComment => ({
      id,
      user: { login },
      created_at: at,
      updated_at: at,
      issue_url: `https://api.github.com/repos/a/b/issues/${url}`,
      html_url: `https://github.com/a/b/${url.startsWith('7') ? 'issues' : 'pull'}/${url}`,
    });
    const first = indexComments({}, [
      comment(1, 'bob', '2024-01-02T00:00:00Z', '5'),
      comment(2, 'bob', '2024-01-01T00:00:00Z', '5'),
    ]);
    expect(first.index).toEqual({
      '5': [{ author: 'bob', at: '2024-01-01T00:00:00Z', bot: false }],
    });
    const second = indexComments(first.index, [
      comment(3, 'bob', '2024-01-03T00:00:00Z', '5'),
      comment(4, 'eve', '2024-01-03T00:00:00Z', '7'),
    ]);
    expect(second.index).toEqual(first.index);
    expect([...second.touched]).toEqual([]);
  });

  it('gives PRs their commits, reviews and comments as first-response candidates', () => {
    const pull: GithubPull = {
      number: 9,
      user: { login: 'alice' },
      state: 'closed',
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-03T00:00:00Z',
      closed_at: '2024-01-03T00:00:00Z',
      merged_at: '2024-01-03T00:00:00Z',
      merge_commit_sha: 'm1',
      base: { ref: 'main' },
    };
    const event = mapPullRequest('a/b', pull, {
      commits: [{ sha: 'c1', commit: { author: { date: '2023-12-31T00:00:00Z' } } }],
      reviews: [
        { id: 1, user: { login: 'bob' }, state: 'approved', submitted_at: '2024-01-02T00:00:00Z' },
      ],
      comments: [{ author: 'codecov[bot]', at: '2024-01-01T01:00:00Z', bot: true }],
    });
    expect(event).toMatchObject({
      id: 'a/b/pulls/9',
      commits: [{ sha: 'c1', authored_at: '2023-12-31T00:00:00Z' }],
      reviews: [
        {
          author: 'bob',
          submitted_at: '2024-01-02T00:00:00Z',
          state: 'APPROVED',
          author_is_bot: false,
        },
        { author: 'codecov[bot]', submitted_at: '2024-01-01T01:00:00Z', author_is_bot: true },
      ],
    });
  });
});
