import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemTypes, type Problem } from '../src-shared/problem';

/** Sends an RFC 9457 problem document. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * Every error leaves the API as problem+json with a message a person can act on. Unexpected errors are logged
 * with their stack and answered without it.
 */
export function problemErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const instance = request.url.split('?')[0];
  const base = instance === undefined ? {} : { instance };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, {
        type: problemTypes.bodyTooLarge,
        title: 'Request body too large',
        status: 413,
        detail: `The request body is over the limit of ${request.routeOptions.bodyLimit ?? 0} bytes. Send less at once.`,
        ...base,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(reply, {
        type: problemTypes.unsupportedMediaType,
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send the body as application/json.',
        ...base,
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(reply, {
        type: problemTypes.validation,
        title: 'The request body is not valid JSON',
        status: 400,
        detail: 'The body could not be read as JSON.',
        ...base,
      });
  }
  if (error instanceof SyntaxError && (error as FastifyError).statusCode === 400) {
    return sendProblem(reply, {
      type: problemTypes.validation,
      title: 'The request body is not valid JSON',
      status: 400,
      detail: 'The body could not be read as JSON.',
      ...base,
    });
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, {
      type: problemTypes.internal,
      title: 'Something went wrong on the server',
      status: 500,
      detail: 'The error has been logged. Try again; if it keeps happening, tell your administrator.',
      ...base,
    });
  }
  return sendProblem(reply, { type: problemTypes.http, title: error.message, status, ...base });
}
