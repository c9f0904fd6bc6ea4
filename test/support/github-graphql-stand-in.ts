import { schema as githubSchema } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  type IntrospectionQuery,
  execute,
  type FieldNode,
  getNamedType,
  GraphQLError,
  GraphQLInt,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
} from 'graphql';
import type { Json, RepoState } from './github-recordings.js';

// GitHub's GraphQL API for the stand-in: queries are parsed and validated against GitHub's public
// schema (@octokit/graphql-schema) by graphql-js and executed by resolvers over the same recorded
// REST payloads the REST routes serve. Each query is costed by GitHub's published formula: every
// connection needs one request per node of the connections around it (the product of their
// `first`/`last`); the sum over the query divided by 100, rounded, at least 1, is its cost in
// points. GitHub's node limits apply too: `first` or `last` on every connection, 1 to 100, at most
// 500,000 nodes.

// GitHub's Int carries database ids past 2^31 (the recorded OpenBIC deployments have ids such as
// 3,881,429,895, returned as Deployment.databaseId); graphql-js would refuse them on output.
const int32 = GraphQLInt.serialize.bind(GraphQLInt);
GraphQLInt.serialize = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) ? value : int32(value);

let built: GraphQLSchema | undefined;
function githubGraphqlSchema(): GraphQLSchema {
  // From the introspection result: the package's SDL repeats a few enterprise fields.
  built ??= buildClientSchema(githubSchema.json as unknown as IntrospectionQuery);
  return built;
}

export interface GraphqlOutcome {
  body: { data?: unknown; errors?: { message: string; type?: string; path?: unknown }[] };
  cost: number;
}

export interface GraphqlCost {
  requests: number;
  nodes: number;
  points: number;
  errors: string[];
}

const MAX_NODES = 500_000;

/** GitHub's cost of a query (and its node count), or why GitHub would refuse it. */
export function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
): GraphqlCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    if (
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || definition.name?.value === operationName)
    )
      operation ??= definition;
  }
  const cost: GraphqlCost = { requests: 0, nodes: 0, points: 0, errors: [] };
  if (!operation) return { ...cost, errors: ['No operation to execute.'] };
  const argument = (field: FieldNode, name: string): number | undefined => {
    const node = field.arguments?.find((a) => a.name.value === name);
    if (!node) return undefined;
    const value = valueFromASTUntyped(node.value, variables);
    return typeof value === 'number' ? value : undefined;
  };
  const walk = (selections: SelectionSetNode, type: GraphQLNamedType, multiplier: number) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : type;
        if (on) walk(selection.selectionSet, on, multiplier);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && on) walk(fragment.selectionSet, on, multiplier);
        continue;
      }
      if (!(isObjectType(type) || isInterfaceType(type))) continue;
      const definition = type.getFields()[selection.name.value];
      if (!definition || !selection.selectionSet) continue;
      const fieldType = getNamedType(definition.type);
      if (fieldType.name.endsWith('Connection')) {
        const size = argument(selection, 'first') ?? argument(selection, 'last');
        if (size === undefined) {
          cost.errors.push(
            `You must provide a \`first\` or \`last\` value to properly paginate the \`${selection.name.value}\` connection.`,
          );
          continue;
        }
        if (size < 1 || size > 100) {
          cost.errors.push(
            `Requesting ${size} records on the \`${selection.name.value}\` connection exceeds the \`first\` limit of 100 records.`,
          );
          continue;
        }
        cost.requests += multiplier;
        cost.nodes += multiplier * size;
        walk(selection.selectionSet, fieldType, multiplier * size);
      } else {
        walk(selection.selectionSet, fieldType, multiplier);
      }
    }
  };
  const root = schema.getQueryType()!;
  walk(operation.selectionSet, root, 1);
  if (cost.nodes > MAX_NODES) {
    cost.errors.push(
      `By the time this query traverses to the nodes connection, it is requesting up to ${cost.nodes} possible nodes which exceeds the maximum limit of ${MAX_NODES}.`,
    );
  }
  cost.points = Math.max(1, Math.round(cost.requests / 100));
  return cost;
}

const time = (value: string | null | undefined) => (value ? Date.parse(value) : 0);
const encode = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64');
const decode = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64').toString()) as unknown[];

function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

interface ConnectionArgs {
  first?: number;
  last?: number;
  after?: string;
  before?: string;
}

/**
 * A connection over items in their order. Cursors name an item by its sort key, as GitHub's do,
 * so an item that moves (a PR updated mid-backfill) does not shift the pages after the cursor.
 */
function connection<T>(items: T[], args: ConnectionArgs, key: (item: T) => unknown[]) {
  let slice = items;
  if (args.after) {
    const after = decode(args.after);
    slice = slice.filter((item) => compareKeys(key(item), after) > 0);
  }
  if (args.before) {
    const before = decode(args.before);
    slice = slice.filter((item) => compareKeys(key(item), before) < 0);
  }
  const page =
    args.first !== undefined ? slice.slice(0, args.first) : slice.slice(-(args.last ?? 0));
  const start = slice.indexOf(page[0]!);
  return {
    totalCount: items.length,
    nodes: page,
    edges: page.map((node) => ({ node, cursor: encode(key(node)) })),
    pageInfo: {
      hasNextPage: page.length > 0 && start + page.length < slice.length,
      hasPreviousPage: start > 0 || Boolean(args.after),
      startCursor: page.length > 0 ? encode(key(page[0]!)) : null,
      endCursor: page.length > 0 ? encode(key(page[page.length - 1]!)) : null,
    },
  };
}

/** Ordered by a time field, ties by id; `direction` DESC reverses, and keys carry the order's sign. */
function ordered<T>(
  items: T[],
  at: (item: T) => string | null,
  id: (item: T) => number,
  desc: boolean,
) {
  const sign = desc ? -1 : 1;
  const key = (item: T) => [sign * time(at(item)), sign * id(item)];
  return { items: [...items].sort((a, b) => compareKeys(key(a), key(b))), key };
}

function actor(user: Json | null | undefined) {
  if (!user) return null;
  const bot = user.type === 'Bot';
  // GitHub's GraphQL names a bot without the "[bot]" its REST login carries.
  return {
    __typename: bot ? 'Bot' : 'User',
    login: bot ? String(user.login).replace(/\[bot\]$/, '') : user.login,
    databaseId: user.id,
  };
}

/**
 * The commits of a repository in order, oldest first: the stand-in's history is linear. Unless a
 * test sets it, it is what the repository deployed and released, in the order it did.
 */
export function commitChain(repo: RepoState): string[] {
  if (repo.history) return repo.history;
  const shipped = [
    ...repo.deployments.map((d) => ({ at: d.created_at, sha: d.sha })),
    ...repo.releases.map((r) => ({ at: r.created_at, sha: r.sha ?? r.target_commitish })),
    ...repo.runs.map((r) => ({ at: r.created_at, sha: r.head_sha })),
  ].sort((a, b) => time(a.at) - time(b.at));
  return [...new Set(shipped.map((s) => s.sha as string))];
}

export class GithubGraphql {
  points = { used: 0, remaining: 5000, limit: 5000 };
  /** Every query executed, with its cost. */
  queries: { operation: string; cost: number }[] = [];

  constructor(private readonly repos: () => Map<string, RepoState>) {}

  run(body: {
    query?: string;
    variables?: Record<string, unknown>;
    operationName?: string;
  }): GraphqlOutcome {
    const schema = githubGraphqlSchema();
    let document: DocumentNode;
    try {
      document = parse(body.query ?? '');
    } catch (error) {
      return { body: { errors: [{ message: (error as GraphQLError).message }] }, cost: 0 };
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) {
      return { body: { errors: invalid.map((e) => ({ message: e.message })) }, cost: 0 };
    }
    const variables = body.variables ?? {};
    const cost = costOf(schema, document, variables, body.operationName);
    if (cost.errors.length > 0) {
      return {
        body: {
          errors: cost.errors.map((message) => ({ message, type: 'MAX_NODE_LIMIT_EXCEEDED' })),
        },
        cost: 0,
      };
    }
    this.points.used += cost.points;
    this.points.remaining = Math.max(0, this.points.remaining - cost.points);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as
      OperationDefinitionNode | undefined;
    this.queries.push({ operation: operation?.name?.value ?? '', cost: cost.points });
    const result = execute({
      schema,
      document,
      variableValues: variables,
      operationName: body.operationName,
      rootValue: this.root(cost.points),
    }) as { data?: unknown; errors?: readonly GraphQLError[] };
    return {
      body: {
        data: result.data,
        ...(result.errors
          ? {
              errors: result.errors.map((e) => ({
                message: e.message,
                path: e.path,
                ...((e.originalError as { type?: string } | undefined)?.type
                  ? { type: (e.originalError as { type?: string }).type }
                  : {}),
              })),
            }
          : {}),
      },
      cost: cost.points,
    };
  }

  private root(cost: number) {
    const repository = (args: { owner: string; name: string }) => {
      const full = `${args.owner}/${args.name}`;
      const repo = this.repos().get(full);
      if (!repo) {
        throw Object.assign(
          new Error(`Could not resolve to a Repository with the name '${full}'.`),
          { type: 'NOT_FOUND' },
        );
      }
      return this.repository(full, repo);
    };
    return {
      rateLimit: () => ({
        cost,
        limit: this.points.limit,
        remaining: this.points.remaining,
        used: this.points.used,
        resetAt: new Date(Date.now() + 3600_000).toISOString(),
        nodeCount: 0,
      }),
      repository,
      viewer: () => ({ __typename: 'User', login: 'stand-in', id: 'U_stand-in' }),
      node: ({ id }: { id: string }) => {
        const match = id.match(/^PR_([^/]+)\/([^#]+)#(\d+)$/);
        if (!match) return null;
        return repository({ owner: match[1]!, name: match[2]! }).pullRequest({
          number: Number(match[3]),
        });
      },
    };
  }

  private repository(full: string, repo: RepoState) {
    const commit = (oid: string) => ({
      __typename: 'Commit',
      id: `C_${oid}`,
      oid,
      history: (args: ConnectionArgs) => {
        const chain = commitChain(repo);
        const at = chain.indexOf(oid);
        const newestFirst = (at >= 0 ? chain.slice(0, at + 1) : [oid]).reverse();
        return connection(
          newestFirst.map((sha, i) => ({ ...commit(sha), position: i })),
          args,
          (c) => [c.position],
        );
      },
    });
    const commentsOf = (number: number) =>
      repo.issueComments.filter(
        (c) =>
          c.html_url?.includes('/pull/') && Number(c.issue_url?.match(/\/(\d+)$/)?.[1]) === number,
      );
    const pull = (p: Json) => {
      const id = `PR_${full}#${p.number}`;
      const node = {
        __typename: 'PullRequest',
        id,
        databaseId: p.id,
        number: p.number,
        title: p.title ?? '',
        state: p.state === 'open' ? 'OPEN' : p.merged_at ? 'MERGED' : 'CLOSED',
        isDraft: Boolean(p.draft),
        createdAt: p.created_at,
        updatedAt: p.updated_at,
        closedAt: p.closed_at,
        mergedAt: p.merged_at,
        merged: Boolean(p.merged_at),
        // REST's merge_commit_sha is the merge once merged, else GitHub's test merge.
        mergeCommit: p.merged_at && p.merge_commit_sha ? commit(p.merge_commit_sha) : null,
        potentialMergeCommit:
          !p.merged_at && p.merge_commit_sha ? commit(p.merge_commit_sha) : null,
        baseRefName: p.base?.ref ?? '',
        author: actor(p.user),
        commits: (args: ConnectionArgs) =>
          connection(
            (repo.commits.get(p.number) ?? []).map((c, position) => ({
              __typename: 'PullRequestCommit',
              position,
              commit: { ...commit(c.sha), authoredDate: c.commit?.author?.date },
            })),
            args,
            (c) => [c.position],
          ),
        reviews: (args: ConnectionArgs) =>
          connection(
            (repo.reviews.get(p.number) ?? []).map((r) => ({
              __typename: 'PullRequestReview',
              databaseId: r.id,
              author: actor(r.user),
              state: String(r.state).toUpperCase(),
              submittedAt: r.submitted_at ?? null,
            })),
            args,
            (r) => [r.databaseId],
          ),
        comments: (args: ConnectionArgs) =>
          connection(
            commentsOf(p.number)
              .map((c) => ({
                __typename: 'IssueComment',
                databaseId: c.id,
                author: actor(c.user),
                createdAt: c.created_at,
                updatedAt: c.updated_at,
              }))
              .sort((a, b) => time(a.createdAt) - time(b.createdAt) || a.databaseId - b.databaseId),
            args,
            (c) => [time(c.createdAt), c.databaseId],
          ),
      };
      return node;
    };
    const desc = (order: { direction?: string } | undefined) => order?.direction !== 'ASC';
    return {
      __typename: 'Repository',
      nameWithOwner: full,
      pullRequest: ({ number }: { number: number }) => {
        const found = repo.pulls.find((p) => p.number === number);
        return found ? pull(found) : null;
      },
      pullRequests: (
        args: ConnectionArgs & {
          orderBy?: { field: string; direction: string };
          states?: string[];
        },
      ) => {
        const field = args.orderBy?.field === 'UPDATED_AT' ? 'updated_at' : 'created_at';
        const states = args.states;
        const pulls = repo.pulls.filter((p) => {
          const state = p.state === 'open' ? 'OPEN' : p.merged_at ? 'MERGED' : 'CLOSED';
          return !states || states.includes(state);
        });
        // Without orderBy GitHub lists PRs by creation, oldest first.
        const { items, key } = ordered(
          pulls,
          (p) => p[field],
          (p) => p.number,
          args.orderBy ? desc(args.orderBy) : false,
        );
        return connection(items.map(pull), args, (node) =>
          key(pulls.find((p) => p.number === node.number)!),
        );
      },
      deployments: (
        args: ConnectionArgs & { orderBy?: { direction: string }; environments?: string[] },
      ) => {
        const deployments = repo.deployments.filter(
          (d) => !args.environments || args.environments.includes(d.environment),
        );
        const { items, key } = ordered(
          deployments,
          (d) => d.created_at,
          (d) => d.id,
          args.orderBy ? desc(args.orderBy) : false,
        );
        return connection(
          items.map((d) => ({
            __typename: 'Deployment',
            id: d.node_id ?? `D_${d.id}`,
            databaseId: d.id,
            commitOid: d.sha,
            environment: d.environment,
            createdAt: d.created_at,
            updatedAt: d.updated_at ?? d.created_at,
            statuses: (statusArgs: ConnectionArgs) =>
              connection(
                [...(repo.statuses.get(d.id) ?? [])]
                  .sort((a, b) => time(b.created_at) - time(a.created_at))
                  .map((s, position) => ({
                    __typename: 'DeploymentStatus',
                    position,
                    state: String(s.state).toUpperCase(),
                    createdAt: s.created_at,
                    updatedAt: s.updated_at ?? s.created_at,
                  })),
                statusArgs,
                (s) => [s.position],
              ),
          })),
          args,
          (node) => key(deployments.find((d) => d.id === node.databaseId)!),
        );
      },
      releases: (args: ConnectionArgs & { orderBy?: { field: string; direction: string } }) => {
        const { items, key } = ordered(
          repo.releases,
          (r) => r.created_at,
          (r) => r.id,
          args.orderBy ? desc(args.orderBy) : false,
        );
        return connection(
          items.map((r) => ({
            __typename: 'Release',
            databaseId: r.id,
            tagName: r.tag_name,
            isDraft: Boolean(r.draft),
            isPrerelease: Boolean(r.prerelease),
            createdAt: r.created_at,
            publishedAt: r.published_at ?? null,
            tagCommit: commit(r.sha ?? r.target_commitish),
          })),
          args,
          (node) => key(repo.releases.find((r) => r.id === node.databaseId)!),
        );
      },
      object: (args: { oid?: string; expression?: string }) => {
        const oid = args.oid ?? args.expression;
        return oid && commitChain(repo).includes(oid) ? commit(oid) : null;
      },
    };
  }
}
