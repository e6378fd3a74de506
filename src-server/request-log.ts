import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

function pathOf(request: FastifyRequest): string {
  return (request.raw.url ?? request.url).split('?')[0] ?? '/';
}

/**
 * Fastify's request logs carry the full URL and headers, and a query string can hold a caller's number (a
 * screen-pop lookup). This controller logs one line per request with the method, the path without its query,
 * the status and the time taken, and nothing else.
 */
export class PathOnlyLogController extends Fastify.LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, path: pathOf(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request failed');
    else reply.log.info(line, 'request');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, path: pathOf(request), status: reply.statusCode };
    if (reply.statusCode >= 500) reply.log.error({ ...line, err: error }, 'request error');
    else reply.log.info({ ...line, code: (error as { code?: string }).code }, 'request refused');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method, path: pathOf(request) }, 'route not found');
  }
}
