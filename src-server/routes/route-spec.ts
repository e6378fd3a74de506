import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../src-shared/api/people';
import { problemSchema, problemTypes } from '../../src-shared/problem';
import { sendProblem } from '../problem';
import type { Actor } from '../store/central-store';
import { StoreRefusal } from '../store/central-store';
import type { AccessState } from '../auth/access-state';
import type { TokenService } from '../auth/tokens';

/** The problem type of a store's refusal, by its status, unless the refusal names its own. */
const refusalTypes: Record<StoreRefusal['status'], string> = {
  403: problemTypes.http,
  404: problemTypes.notFound,
  409: problemTypes.conflict,
  422: problemTypes.validation,
};

/** A status a route may refuse a request with. */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 423 | 429 | 501 | 502 | 503;

/**
 * What the OpenAPI description says of one endpoint: method, path, who may call it, the zod schemas of its input and
 * output, and how it refuses. A route Fastify registers itself (health, this description, a webhook that reads its
 * own body) declares one of these beside it.
 */
export interface OperationSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  /** 'public', or the roles allowed. */
  access: 'public' | readonly Role[];
  body?: B;
  query?: Q;
  params?: P;
  /** The body of a successful answer; none, and the answer is 204 with no body. */
  response?: z.ZodType;
  status?: number;
  /** The media type of a successful answer when it is not JSON (a CSV export). */
  produces?: string;
  /**
   * The refusals this route gives besides those every route of its kind can give (400 for a request that is not
   * valid, 401 and 403 unless it is public, 413 and 415 when it takes a body), each with when it is given.
   */
  refusals?: Partial<Record<RefusalStatus, string>>;
  /** The shape of the route's own refusals when they are not problem+json: Open311 answers in GeoReport's error list. */
  refusesAs?: { mediaType: string; schema: z.ZodType };
}

/**
 * One declaration per endpoint: its description and its handler. The same declaration validates requests and
 * produces the OpenAPI description, so the two cannot drift apart.
 */
export interface RouteSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> extends OperationSpec<B, Q, P> {
  handler(input: { body: z.output<B>; query: z.output<Q>; params: z.output<P>; actor: Actor | null; request: FastifyRequest; reply: FastifyReply }): Promise<unknown>;
}

export function defineRoute<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType>(spec: RouteSpec<B, Q, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}

function validationProblem(reply: FastifyReply, where: 'body' | 'query' | 'path', error: z.ZodError) {
  return sendProblem(reply, {
    type: problemTypes.validation,
    title: 'The request is not valid',
    status: 400,
    detail: error.issues.map((issue) => `${issue.path.join('.') || where}: ${issue.message}`).join('; '),
    errors: error.issues.map((issue) => ({
      pointer: `#/${where}${issue.path.length ? '/' : ''}${issue.path.join('/')}`,
      code: issue.code,
      message: issue.message,
    })),
  });
}

/** Registers routes with the checks every one of them needs: who is calling, then the shape of what they sent. */
export function registerRoutes(app: FastifyInstance, routes: readonly RouteSpec[], tokens: TokenService, access: AccessState): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        let actor: Actor | null = null;
        if (spec.access !== 'public') {
          const header = request.headers.authorization ?? '';
          const claims = header.startsWith('Bearer ') ? tokens.verifyAccessToken(header.slice(7)) : null;
          if (!claims) {
            reply.header('www-authenticate', 'Bearer');
            return sendProblem(reply, { type: problemTypes.http, title: 'Sign in first', status: 401, detail: 'This needs a valid access token. Sign in, or refresh the token.' });
          }
          // The token says who is calling; what they may do is what the store says now (an administrator may have
          // disabled them, changed their role or teams, or set a new password since the token was issued).
          const now = await access.current(claims.sub, claims);
          if (!now) {
            reply.header('www-authenticate', 'Bearer');
            return sendProblem(reply, { type: problemTypes.http, title: 'Sign in first', status: 401, detail: 'This session has ended, or the account is disabled or no longer exists.' });
          }
          actor = { userId: claims.sub, name: claims.name, role: now.role, teamIds: now.teamIds };
          if (!spec.access.includes(now.role)) {
            return sendProblem(reply, { type: problemTypes.http, title: 'Not allowed', status: 403, detail: `A ${now.role} cannot ${spec.summary.toLowerCase()}` });
          }
        }
        const body = spec.body ? spec.body.safeParse(request.body ?? {}) : { success: true as const, data: undefined };
        if (!body.success) return validationProblem(reply, 'body', body.error);
        const query = spec.query ? spec.query.safeParse(request.query ?? {}) : { success: true as const, data: undefined };
        if (!query.success) return validationProblem(reply, 'query', query.error);
        const params = spec.params ? spec.params.safeParse(request.params ?? {}) : { success: true as const, data: undefined };
        if (!params.success) return validationProblem(reply, 'path', params.error);
        try {
          const result = await spec.handler({ body: body.data, query: query.data, params: params.data, actor, request, reply });
          if (reply.sent) return reply;
          if (result === undefined) return reply.code(spec.status ?? 204).send();
          return reply.code(spec.status ?? 200).send(result);
        } catch (error) {
          if (error instanceof StoreRefusal) {
            return sendProblem(reply, {
              type: error.type ?? refusalTypes[error.status],
              title: error.message,
              status: error.status,
              ...(Object.keys(error.detail).length ? { detail: JSON.stringify(error.detail) } : {}),
            });
          }
          throw error;
        }
      },
    });
  }
}

/** A problem document as the API sends it; RFC 9457 lets a problem carry members of its own (the spans a moderator must fix). */
const problemJsonSchema = schemaOf(problemSchema.loose(), 'output');

/** A zod schema as JSON Schema (2020-12, OpenAPI 3.1's dialect), to sit inside the description. */
function schemaOf(type: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return schema;
}

/** Methods whose requests carry a body, which Fastify reads (and may refuse) before the route runs. */
const bodyMethods: ReadonlySet<OperationSpec['method']> = new Set(['POST', 'PUT', 'PATCH']);

/** The refusals every route of a kind can give, whatever it declares: from its schemas, its access and its body. */
function derivedRefusals(spec: OperationSpec): Partial<Record<RefusalStatus, string>> {
  const takesBody = bodyMethods.has(spec.method);
  return {
    ...(spec.body || spec.query || spec.params || takesBody ? { 400: 'The request is not valid: each bad field is named in errors' } : {}),
    ...(spec.access === 'public' ? {} : { 401: 'Not signed in, or the access token has expired', 403: 'Not allowed for this role' }),
    ...(takesBody ? { 413: 'The request body is over the size limit', 415: 'The request body is not application/json' } : {}),
  };
}

/** The success and refusal responses of one operation. */
function responsesOf(spec: OperationSpec): Record<string, unknown> {
  const success = spec.status ?? (spec.response || spec.produces ? 200 : 204);
  const responses: Record<string, unknown> = {
    [String(success)]:
      spec.response || spec.produces
        ? { description: 'Success', content: { [spec.produces ?? 'application/json']: spec.response ? { schema: schemaOf(spec.response, 'output') } : {} } }
        : { description: 'Done: no body' },
  };
  const derived = derivedRefusals(spec);
  const own = spec.refusals ?? {};
  const statuses = [...new Set([...Object.keys(derived), ...Object.keys(own)].map(Number) as RefusalStatus[])].sort((a, b) => a - b);
  for (const status of statuses) {
    const content: Record<string, unknown> = {};
    if (derived[status] || !spec.refusesAs) content['application/problem+json'] = { schema: { $ref: '#/components/schemas/Problem' } };
    if (own[status] && spec.refusesAs) content[spec.refusesAs.mediaType] = { schema: schemaOf(spec.refusesAs.schema, 'output') };
    responses[String(status)] = { description: [derived[status], own[status]].filter(Boolean).join('; or '), content };
  }
  return responses;
}

/** The OpenAPI 3.1 description of the API, built from the same declarations the routes validate with. */
export function buildOpenApi(operations: readonly OperationSpec[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of operations) {
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', spec.params],
      ['query', spec.query],
    ] as const) {
      const json = schema ? (schemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] }) : null;
      for (const [name, property] of Object.entries(json?.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json?.required ?? []).includes(name), schema: property });
      }
    }
    const method = spec.method.toLowerCase();
    if (paths[path]?.[method]) throw new Error(`${spec.method} ${spec.url} is declared twice`);
    paths[path] ??= {};
    paths[path][method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.access === 'public' ? { security: [] } : { 'x-roles': spec.access }),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } } : {}),
      responses: responsesOf(spec),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Care Connect Desk central API', version: info.version },
    components: { schemas: { Problem: problemJsonSchema }, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

/** `GET /openapi.json`: this description, registered by the app beside the routes it describes. */
export const openApiOperation: OperationSpec = {
  method: 'GET',
  url: '/openapi.json',
  summary: 'Read this description of the API',
  tag: 'meta',
  access: 'public',
  response: z.object({ openapi: z.literal('3.1.0'), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.record(z.string(), z.unknown())) }).loose(),
};
