import { NotFoundException } from '@nestjs/common';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonError } from 'src/common/errors/common.errors';

// A request whose path the API serves, with a method it does not serve there, is 405 with an `Allow`
// header (RFC 9110 §15.5.6), not the 404 of a path that does not exist. The route table is Fastify's own
// router, asked once per method it knows, so the answer follows every route as registered (the global
// prefix, `/health` outside it, the HEAD Fastify adds to each GET, /api/docs) and never the data: an id
// nobody may see is still found, or not, by the service behind the route.

/** What is asked of the Fastify instance: its methods, and which route a method and URL reach. */
export type RouteTable = Pick<FastifyInstance, 'supportedMethods' | 'findRoute'>;

/**
 * The methods with a route for this URL (its query string ignored, as the router does), in alphabetical
 * order. Empty for a path the API does not serve. A path with a segment longer than the router's
 * `maxParamLength` gets none either: the router answers any method there with its 414 handler, which
 * cannot be told from a route, so such a request keeps the 404 it had.
 */
export function allowedMethods(routes: RouteTable, url: string, maxParamLength: number): string[] {
  const path = url.split('?')[0];
  if (path.split('/').some((segment) => segment.length > maxParamLength)) return [];
  return routes.supportedMethods.filter((method) => routes.findRoute({ method, url: path }) !== null).sort();
}

/**
 * The 405 for a request that reached the not-found handler (Nest's NotFoundException, on Fastify's 404
 * route) at a path other methods are served on; undefined for anything else, which keeps its answer.
 */
export function methodNotAllowed(exception: unknown, request: FastifyRequest, maxParamLength: number): InstanceType<typeof CommonError> | undefined {
  if (!(exception instanceof NotFoundException) || request.is404 !== true) return undefined;
  const allowed = allowedMethods(request.server, request.url, maxParamLength);
  // The request's own method has no route here, or it would not be on the 404 route; should the router
  // say otherwise, the 404 stands rather than an Allow header that names the method refused.
  if (allowed.length === 0 || allowed.includes(request.method)) return undefined;
  const path = request.url.split('?')[0];
  return new CommonError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}: it allows ${allowed.join(', ')}`, { method: request.method, allowed });
}
