import type { MigrationInterface, QueryRunner } from 'typeorm';

// The whole product's schema. Every ingested row has a stable key (source, native_id) within its
// table (the table is the type), a content hash so a re-sent event is recognised as unchanged, and
// its raw payload. Columns marked "derived" are written only by the linking step.
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sources (
        id          serial PRIMARY KEY,
        name        text NOT NULL UNIQUE,
        kind        text NOT NULL CHECK (kind IN ('github', 'mlflow')),
        config      jsonb NOT NULL,
        origin      text NOT NULL DEFAULT 'api' CHECK (origin IN ('config', 'api')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE sync_runs (
        id           bigserial PRIMARY KEY,
        source_id    integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        trigger      text NOT NULL DEFAULT 'schedule' CHECK (trigger IN ('schedule', 'manual', 'webhook', 'start')),
        status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
        started_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz,
        items        integer NOT NULL DEFAULT 0,
        pages        integer NOT NULL DEFAULT 0,
        requests     integer NOT NULL DEFAULT 0,
        error        text
      );
      CREATE INDEX sync_runs_source_started_idx ON sync_runs (source_id, started_at DESC);

      -- A collector's watermark per resource and scope (e.g. 'pulls' of 'acme/serving'), written in
      -- the same transaction as the rows it produced.
      CREATE TABLE sync_cursors (
        source_id   integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        resource    text NOT NULL,
        scope       text NOT NULL DEFAULT '',
        cursor      jsonb NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_id, resource, scope)
      );

      CREATE TABLE webhook_deliveries (
        provider     text NOT NULL,
        delivery_id  text NOT NULL,
        event        text,
        received_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, delivery_id)
      );

      CREATE TABLE teams (
        id          serial PRIMARY KEY,
        name        text NOT NULL UNIQUE,
        origin      text NOT NULL DEFAULT 'api' CHECK (origin IN ('config', 'api')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE team_repos (
        team_id  integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        repo     text NOT NULL,
        PRIMARY KEY (team_id, repo)
      );
      CREATE INDEX team_repos_repo_idx ON team_repos (repo);
      CREATE TABLE team_models (
        team_id   integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        registry  text NOT NULL,
        model     text NOT NULL,
        PRIMARY KEY (team_id, registry, model)
      );

      CREATE TABLE pull_requests (
        id                  bigserial PRIMARY KEY,
        source              text NOT NULL,
        native_id           text NOT NULL,
        repo                text NOT NULL,
        number              integer NOT NULL,
        title               text,
        author              text,
        author_is_bot       boolean NOT NULL DEFAULT false,
        created_at          timestamptz NOT NULL,
        merged_at           timestamptz,
        closed_at           timestamptz,
        merge_commit_sha    text,
        base_branch         text,
        draft               boolean NOT NULL DEFAULT false,
        -- as stated by the event, when it gives them instead of commit and review lists
        stated_first_commit_at  timestamptz,
        stated_first_review_at  timestamptz,
        -- derived
        first_commit_at     timestamptz,
        first_review_at     timestamptz,
        deployment_id       bigint,
        deployed_at         timestamptz,
        content_hash        text NOT NULL,
        raw                 jsonb NOT NULL,
        ingested_at         timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, native_id)
      );
      CREATE INDEX pull_requests_repo_number_idx ON pull_requests (repo, number);
      CREATE INDEX pull_requests_merged_idx ON pull_requests (merged_at) WHERE merged_at IS NOT NULL;
      CREATE INDEX pull_requests_repo_merged_idx ON pull_requests (repo, merged_at) WHERE merged_at IS NOT NULL;
      CREATE INDEX pull_requests_merge_sha_idx ON pull_requests (merge_commit_sha) WHERE merge_commit_sha IS NOT NULL;
      CREATE INDEX pull_requests_deployed_idx ON pull_requests (deployed_at) WHERE deployed_at IS NOT NULL;

      CREATE TABLE pr_commits (
        pull_request_id  bigint NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
        sha              text NOT NULL,
        authored_at      timestamptz,
        PRIMARY KEY (pull_request_id, sha)
      );

      -- Reviews and comments alike: metrics.md counts the first of either by a non-author non-bot.
      CREATE TABLE pr_reviews (
        id               bigserial PRIMARY KEY,
        pull_request_id  bigint NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
        author           text,
        author_is_bot    boolean NOT NULL DEFAULT false,
        submitted_at     timestamptz,
        state            text,
        kind             text NOT NULL DEFAULT 'review' CHECK (kind IN ('review', 'comment'))
      );
      CREATE INDEX pr_reviews_pr_idx ON pr_reviews (pull_request_id);

      CREATE TABLE deployments (
        id                   bigserial PRIMARY KEY,
        source               text NOT NULL,
        native_id            text NOT NULL,
        repo                 text NOT NULL,
        environment          text NOT NULL,
        is_production        boolean NOT NULL,
        sha                  text,
        status               text NOT NULL CHECK (status IN ('success', 'failure')),
        started_at           timestamptz,
        finished_at          timestamptz NOT NULL,
        fixes_native_id      text,
        stated_commits       boolean NOT NULL DEFAULT false,
        stated_pull_requests boolean NOT NULL DEFAULT false,
        -- derived
        previous_success_id  bigint,
        fixes_id             bigint,
        is_change_failure    boolean NOT NULL DEFAULT false,
        content_hash         text NOT NULL,
        raw                  jsonb NOT NULL,
        ingested_at          timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, native_id)
      );
      CREATE INDEX deployments_repo_env_finished_idx ON deployments (repo, environment, finished_at);
      CREATE INDEX deployments_prod_finished_idx ON deployments (finished_at) WHERE is_production AND status = 'success';
      CREATE INDEX deployments_sha_idx ON deployments (sha);

      CREATE TABLE deployment_statuses (
        deployment_id  bigint NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
        state          text NOT NULL,
        created_at     timestamptz NOT NULL,
        PRIMARY KEY (deployment_id, state, created_at)
      );

      -- What a deployment states it shipped (ingest API commits / pull_requests, or a collector's
      -- compare API result).
      CREATE TABLE deployment_commits (
        deployment_id  bigint NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
        sha            text NOT NULL,
        PRIMARY KEY (deployment_id, sha)
      );
      CREATE INDEX deployment_commits_sha_idx ON deployment_commits (sha);
      CREATE TABLE deployment_pull_requests (
        deployment_id  bigint NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
        pr_number      integer NOT NULL,
        PRIMARY KEY (deployment_id, pr_number)
      );

      CREATE TABLE incidents (
        id                      bigserial PRIMARY KEY,
        source                  text NOT NULL,
        native_id               text NOT NULL,
        repo                    text,
        team                    text,
        title                   text,
        created_at              timestamptz NOT NULL,
        resolved_at             timestamptz,
        stated_deployment_id    text,
        -- derived
        deployment_id           bigint,
        content_hash            text NOT NULL,
        raw                     jsonb NOT NULL,
        ingested_at             timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, native_id)
      );
      CREATE INDEX incidents_resolved_idx ON incidents (resolved_at) WHERE resolved_at IS NOT NULL;
      CREATE INDEX incidents_repo_created_idx ON incidents (repo, created_at);
      CREATE INDEX incidents_deployment_idx ON incidents (deployment_id) WHERE deployment_id IS NOT NULL;

      CREATE TABLE registries (
        name        text PRIMARY KEY,
        kind        text NOT NULL DEFAULT 'api',
        source_id   integer REFERENCES sources (id) ON DELETE SET NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE models (
        id          bigserial PRIMARY KEY,
        registry    text NOT NULL,
        name        text NOT NULL,
        deleted_at  timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (registry, name)
      );

      CREATE TABLE model_versions (
        id              bigserial PRIMARY KEY,
        source          text NOT NULL,
        native_id       text NOT NULL,
        registry        text NOT NULL,
        model           text NOT NULL,
        version         text NOT NULL,
        created_at      timestamptz NOT NULL,
        run_id          text,
        run_started_at  timestamptz,
        -- the registry's present state, kept by registry collectors to compute differences
        current_stage   text,
        aliases         text[] NOT NULL DEFAULT '{}',
        last_updated_at timestamptz,
        deleted_at      timestamptz,
        content_hash    text NOT NULL,
        raw             jsonb NOT NULL,
        ingested_at     timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, native_id),
        UNIQUE (registry, model, version)
      );
      CREATE INDEX model_versions_created_idx ON model_versions (created_at);

      CREATE TABLE model_stage_events (
        id                 bigserial PRIMARY KEY,
        source             text NOT NULL,
        native_id          text NOT NULL,
        registry           text NOT NULL,
        model              text NOT NULL,
        version            text NOT NULL,
        action             text NOT NULL CHECK (action IN ('promote', 'demote')),
        environment        text NOT NULL DEFAULT 'production',
        at                 timestamptz NOT NULL,
        at_precision       text NOT NULL DEFAULT 'exact' CHECK (at_precision IN ('exact', 'registry', 'observed')),
        -- for 'observed': seconds since the previous poll, the window the change happened in
        precision_seconds  integer,
        content_hash       text NOT NULL,
        raw                jsonb NOT NULL,
        ingested_at        timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, native_id)
      );
      CREATE INDEX model_stage_events_model_at_idx ON model_stage_events (registry, model, version, at);
      CREATE INDEX model_stage_events_at_idx ON model_stage_events (at);

      CREATE TABLE decisions (
        id            bigserial PRIMARY KEY,
        title         text NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('buy', 'build', 'other')),
        vendor        text,
        description   text,
        effective_at  timestamptz NOT NULL,
        scope         jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX decisions_effective_idx ON decisions (effective_at);

      CREATE TABLE reports (
        id            bigserial PRIMARY KEY,
        week          text NOT NULL,
        scope_key     text NOT NULL,
        team          text,
        period_start  timestamptz NOT NULL,
        period_end    timestamptz NOT NULL,
        content       jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (week, scope_key)
      );

      CREATE TABLE report_deliveries (
        id            bigserial PRIMARY KEY,
        report_id     bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        channel       text NOT NULL,
        status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts      integer NOT NULL DEFAULT 0,
        last_error    text,
        delivered_at  timestamptz,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (report_id, channel)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE report_deliveries, reports, decisions, model_stage_events, model_versions, models,
        registries, incidents, deployment_pull_requests, deployment_commits, deployment_statuses,
        deployments, pr_reviews, pr_commits, pull_requests, team_models, team_repos, teams,
        webhook_deliveries, sync_cursors, sync_runs, sources;
    `);
  }
}
