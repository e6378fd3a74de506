import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../src-shared/api/people';
import { problemTypes } from '../../src-shared/problem';
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

/**
 * One declaration per endpoint: method, path, who may call it, and the zod schemas of its input and output. The
 * same declaration validates requests and produces the OpenAPI description, so the two cannot drift apart.
 */
export interface RouteSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  /** 'public', or the roles allowed. */
  access: 'public' | readonly Role[];
  body?: B;
  query?: Q;
  params?: P;
  response?: z.ZodType;
  status?: number;
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
          // disabled them, or changed their role or teams, since the token was issued).
          const now = await access.current(claims.sub);
          if (!now) {
            reply.header('www-authenticate', 'Bearer');
            return sendProblem(reply, { type: problemTypes.http, title: 'Sign in first', status: 401, detail: 'This account is disabled or no longer exists.' });
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

const problemJsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
  },
};

function schemaOf(type: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(type, { io, unrepresentable: 'any' });
}

/** The OpenAPI 3.1 description of the API, built from the same declarations the routes validate with. */
export function buildOpenApi(routes: readonly RouteSpec[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
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
    const responses: Record<string, unknown> = {
      [String(spec.status ?? (spec.response ? 200 : 204))]: spec.response
        ? { description: 'Success', content: { 'application/json': { schema: schemaOf(spec.response, 'output') } } }
        : { description: 'Done' },
      '400': { description: 'Invalid request', content: { 'application/problem+json': { schema: problemJsonSchema } } },
    };
    if (spec.access !== 'public') {
      responses['401'] = { description: 'Not signed in', content: { 'application/problem+json': { schema: problemJsonSchema } } };
      responses['403'] = { description: 'Not allowed for this role', content: { 'application/problem+json': { schema: problemJsonSchema } } };
    }
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.access === 'public' ? { security: [] } : { 'x-roles': spec.access }),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Care Connect Desk central API', version: info.version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
