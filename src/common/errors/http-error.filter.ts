import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode } from 'src/common/errors/common.errors';
import { DomainError, ErrorDetails } from 'src/common/errors/domain-error';
import { methodNotAllowed } from 'src/common/errors/method-not-allowed';

export interface ErrorBody {
  code: string;
  message: string;
  details: ErrorDetails;
}

/** The largest body a request may carry (Fastify's bodyLimit; an evidence file has its own check). */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;
/** Fastify's default longest path parameter (routerOptions.maxParamLength). */
export const MAX_PARAM_LENGTH = 100;

// Nest and Fastify raise their own errors for routing and body parsing; map them onto stable codes.
const STATUS_CODES: Partial<Record<number, CommonErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'MALFORMED_REQUEST',
  [HttpStatus.NOT_FOUND]: 'ROUTE_NOT_FOUND',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'METHOD_NOT_ALLOWED',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
};

/** The one place where errors become HTTP responses: `{ code, message, details }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest | undefined>();
    // Nest's not-found handler answers every unrouted request; one whose path other methods are served
    // on is a 405 instead (src/common/errors/method-not-allowed.ts).
    const refined = request === undefined ? undefined : methodNotAllowed(exception, request, MAX_PARAM_LENGTH);
    const { status, body } = this.toResponse(refined ?? exception, request?.headers?.['content-type']);
    if (status >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    // RFC 9110 §15.5.6: a 405 carries an Allow header with the methods the resource does support.
    if (status === 405 && Array.isArray(body.details.allowed)) {
      void reply.header('Allow', body.details.allowed.join(', '));
    }
    void reply.status(status).send(body);
  }

  toResponse(exception: unknown, contentType?: string | string[]): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      return {
        status: exception.status,
        body: { code: exception.code, message: exception.message, details: exception.details },
      };
    }
    const fastifyStatus = fastifyErrorStatus(exception);
    // Nest turns Fastify's errors into HttpExceptions of the same status and message, without their
    // code: a 413 or a 415 that is not a DomainError can only be Fastify's body limit or media type check.
    const status = exception instanceof HttpException ? exception.getStatus() : fastifyStatus;
    const code = exception instanceof HttpException ? STATUS_FASTIFY_CODES[exception.getStatus()] : fastifyStatus !== undefined ? (exception as { code?: unknown }).code : undefined;
    const framework = frameworkError(code, contentType);
    if (framework !== undefined) {
      return { status: status!, body: framework };
    }
    if (exception instanceof HttpException || fastifyStatus !== undefined) {
      const status = exception instanceof HttpException ? exception.getStatus() : fastifyStatus!;
      const code = STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'MALFORMED_REQUEST');
      const message = status >= 500 ? 'Internal error' : (exception as Error).message;
      return { status, body: { code, message, details: {} } };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { code: 'INTERNAL_ERROR', message: 'Internal error', details: {} },
    };
  }
}

function fastifyErrorStatus(exception: unknown): number | undefined {
  if (typeof exception === 'object' && exception !== null && 'statusCode' in exception) {
    const status = exception.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 600) {
      return status;
    }
  }
  return undefined;
}

const STATUS_FASTIFY_CODES: Partial<Record<number, string>> = {
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'FST_ERR_CTP_BODY_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
};

/** What a request that was sent this header calls its media type (lower case, no parameters). */
function mediaType(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined ? null : value.split(';')[0].trim().toLowerCase();
}

/**
 * Fastify's own errors, reworded for people and given the details a client needs; undefined for the rest,
 * which are mapped by status. Their messages otherwise name Fastify's internals ("FST_ERR_...") or say
 * too little ("Unsupported Media Type").
 */
function frameworkError(code: unknown, contentType: string | string[] | undefined): ErrorBody | undefined {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = mediaType(contentType);
      const message = type === null ? 'This request takes application/json: send a Content-Type header with the body' : `This request takes application/json, not ${type}`;
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message, details: { contentType: type, allowed: ['application/json'] } };
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', message: `The body is larger than the ${BODY_LIMIT_BYTES} bytes (10 MiB) a request may carry`, details: { maxBytes: BODY_LIMIT_BYTES } };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'MALFORMED_REQUEST', message: 'The body is not as long as its Content-Length header says', details: {} };
    case 'FST_ERR_BAD_URL':
      return { code: 'MALFORMED_REQUEST', message: 'The URL is not valid: a percent-encoded sequence in it does not decode (write a literal % as %25)', details: {} };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { code: 'MALFORMED_REQUEST', message: `A path segment is longer than the ${MAX_PARAM_LENGTH} characters an id or code may have`, details: { maxLength: MAX_PARAM_LENGTH } };
    default:
      return undefined;
  }
}
