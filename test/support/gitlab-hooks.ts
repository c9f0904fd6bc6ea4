// GitLab webhook payloads, shaped from the examples of GitLab's "Webhook events" reference: the
// fields GitLab sends for merge request, note, deployment, pipeline and issue events, with the
// time formats each uses (ISO 8601 in merge request and issue events, "YYYY-MM-DD hh:mm:ss UTC" in
// note and pipeline events, "YYYY-MM-DD hh:mm:ss +hhmm" in deployment events).

type Json = Record<string, any>;

export const hookUser = (id: number, username: string): Json => ({
  id,
  name: username,
  username,
  avatar_url: `https://www.gravatar.com/avatar/${id}?s=80&d=identicon`,
  email: '[REDACTED]',
});

export const hookProject = (id: number, path: string, defaultBranch = 'main'): Json => ({
  id,
  name: path.split('/').pop(),
  description: '',
  web_url: `https://gitlab.example.com/${path}`,
  avatar_url: null,
  git_ssh_url: `git@gitlab.example.com:${path}.git`,
  git_http_url: `https://gitlab.example.com/${path}.git`,
  namespace: path.split('/').slice(0, -1).join('/'),
  visibility_level: 0,
  path_with_namespace: path,
  default_branch: defaultBranch,
  ci_config_path: '',
  homepage: `https://gitlab.example.com/${path}`,
  url: `git@gitlab.example.com:${path}.git`,
  ssh_url: `git@gitlab.example.com:${path}.git`,
  http_url: `https://gitlab.example.com/${path}.git`,
});

/** "2026-02-02T12:00:00.000Z" as note and pipeline events write it: "2026-02-02 12:00:00 UTC". */
export const utcText = (iso: string) => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

export function mergeRequestHook(
  project: Json,
  actor: Json,
  attributes: Json & { iid: number; author_id: number },
): Json {
  return {
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: actor,
    project,
    object_attributes: {
      id: 1000 + attributes.iid,
      target_branch: 'main',
      source_branch: `feature-${attributes.iid}`,
      source_project_id: project.id,
      assignee_ids: [],
      reviewer_ids: [],
      title: `MR ${attributes.iid}`,
      milestone_id: null,
      state: 'opened',
      blocking_discussions_resolved: true,
      work_in_progress: false,
      draft: false,
      first_contribution: false,
      merge_status: 'can_be_merged',
      target_project_id: project.id,
      description: '',
      url: `${project.web_url}/-/merge_requests/${attributes.iid}`,
      last_commit: {
        id: `head${attributes.iid}`,
        message: 'change',
        title: 'change',
        timestamp: '2026-02-02T08:00:00+00:00',
        url: `${project.web_url}/-/commit/head${attributes.iid}`,
        author: { name: 'someone', email: 'someone@example.com' },
      },
      labels: [],
      detailed_merge_status: 'mergeable',
      ...attributes,
    },
    labels: [],
    changes: {},
    repository: { name: project.name, url: project.url, homepage: project.homepage },
  };
}

export function noteHook(project: Json, author: Json, mergeRequest: Json, note: Json): Json {
  return {
    object_kind: 'note',
    event_type: 'note',
    user: author,
    project_id: project.id,
    project,
    repository: { name: project.name, url: project.url, homepage: project.homepage },
    object_attributes: {
      id: 7000 + Number(note.id ?? 0),
      note: '',
      noteable_type: 'MergeRequest',
      author_id: author.id,
      project_id: project.id,
      attachment: null,
      line_code: null,
      commit_id: '',
      noteable_id: mergeRequest.id,
      system: false,
      st_diff: null,
      url: `${project.web_url}/-/merge_requests/${mergeRequest.iid}#note_${note.id}`,
      action: 'create',
      ...note,
    },
    merge_request: mergeRequest,
  };
}

export function deploymentHook(
  project: Json,
  actor: Json,
  fields: { deployment_id: number; status: string; environment: string; sha: string; at: string },
): Json {
  return {
    object_kind: 'deployment',
    status: fields.status,
    status_changed_at: fields.at,
    deployment_id: fields.deployment_id,
    deployable_id: fields.deployment_id * 10,
    deployable_url: `${project.web_url}/-/jobs/${fields.deployment_id * 10}`,
    environment: fields.environment,
    environment_tier: fields.environment,
    environment_slug: fields.environment,
    environment_external_url: null,
    project,
    short_sha: fields.sha.slice(0, 8),
    user: actor,
    user_url: `https://gitlab.example.com/${actor.username}`,
    commit_url: `${project.web_url}/-/commit/${fields.sha}`,
    commit_title: 'Deploy',
  };
}

export function pipelineHook(project: Json, actor: Json, attributes: Json): Json {
  return {
    object_kind: 'pipeline',
    object_attributes: {
      iid: 1,
      name: null,
      ref: project.default_branch,
      tag: false,
      before_sha: '0000000000000000000000000000000000000000',
      source: 'push',
      detailed_status: attributes.status,
      stages: ['build', 'deploy'],
      duration: 63,
      queued_duration: 0,
      variables: [],
      url: `${project.web_url}/-/pipelines/${attributes.id}`,
      ...attributes,
    },
    merge_request: null,
    user: actor,
    project,
    commit: { id: attributes.sha, message: 'change', title: 'change' },
    builds: [],
  };
}

export function issueHook(project: Json, actor: Json, attributes: Json & { iid: number }): Json {
  return {
    object_kind: 'issue',
    event_type: 'issue',
    user: actor,
    project,
    object_attributes: {
      author_id: actor.id,
      closed_at: null,
      confidential: false,
      description: '',
      discussion_locked: null,
      due_date: null,
      id: 2000 + attributes.iid,
      last_edited_at: null,
      milestone_id: null,
      project_id: project.id,
      state: 'opened',
      title: `Issue ${attributes.iid}`,
      url: `${project.web_url}/-/issues/${attributes.iid}`,
      type: 'Issue',
      action: 'open',
      labels: [],
      ...attributes,
    },
    labels: attributes.labels ?? [],
    repository: { name: project.name, url: project.url, homepage: project.homepage },
  };
}
