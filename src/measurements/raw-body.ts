import { RouteConfig } from '@nestjs/platform-fastify';
import { preParsingHookHandler } from 'fastify';
import { CommonError } from 'src/common/errors/common.errors';

// Evidence and CSV uploads take the raw file as the body, through buffer parsers registered for the allowed
// types only (MeasurementsModule). For any other type Fastify finds no parser and answers its generic 415
// before the route runs, so the route's own 415 (its code, the types it takes) was reached only with a type
// that has a parser, such as JSON. Such a route therefore names its check, and a preParsing hook runs it
// before Fastify looks for a parser (and, like Fastify's 415 on JSON routes, before the auth guards): one
// check, thrown as the route's domain error, answered by the one filter. Not a mapping of
// FST_ERR_CTP_INVALID_MEDIA_TYPE in HttpErrorFilter (the common filter would have to know measurement routes
// and codes), nor a catch-all parser (it would serve every route, and JSON routes would have to fake Fastify's 415).

/** Throws the route's 415, naming the types it takes, when the Content-Type header is not one of them. */
export type ContentTypeCheck = (contentTypeHeader: string | undefined) => void;

declare module 'fastify' {
  interface FastifyContextConfig {
    contentTypeCheck?: ContentTypeCheck;
  }
}

/** Runs `check` on the request's Content-Type before the body is parsed (the route may call it again). */
export const CheckContentTypeFirst = (check: ContentTypeCheck): MethodDecorator => RouteConfig({ contentTypeCheck: check });

/**
 * The preParsing hook. A route marked with CheckContentTypeFirst runs its check. Any other route takes JSON
 * only: the raw parsers registered for `rawTypes` serve the whole app, so without this a JSON route sent a
 * PDF would parse it into a buffer and answer a confusing 400 VALIDATION_FAILED instead of a 415.
 */
export function contentTypeCheckHook(rawTypes: readonly string[]): preParsingHookHandler {
  const raw = new Set(rawTypes);
  return (request, _reply, payload, done) => {
    const header = request.headers['content-type'];
    try {
      const check = request.routeOptions.config.contentTypeCheck;
      if (check !== undefined) {
        check(header);
      } else {
        const type = mediaTypeOf(header);
        if (type !== null && raw.has(type)) {
          const hint = type === 'text/csv' ? ': CSV files go to POST /api/v1/contracts/:id/measurements/csv' : '';
          throw new CommonError('UNSUPPORTED_MEDIA_TYPE', `This request takes application/json, not ${type}${hint}`, { contentType: type, allowed: ['application/json'] });
        }
      }
    } catch (error) {
      done(error as Error);
      return;
    }
    done(null, payload);
  };
}

/**
 * The media type of a Content-Type header, lower case without parameters; null when there is no header.
 * Fastify reads any header this maps to an allowed type as that same type, so it reaches that type's parser.
 */
export function mediaTypeOf(header: string | undefined): string | null {
  return header === undefined ? null : header.split(';')[0].trim().toLowerCase();
}
