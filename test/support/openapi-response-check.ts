import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { committedOpenApiResponses, responseValidationEnabled } from 'test/support/openapi-responses';

type Inject = NestFastifyApplication['inject'];
type InjectOptions = Exclude<Parameters<Inject>[0], undefined>;

/**
 * Makes every `app.inject(...)` (so every `t.request(...)`) fail when its response does not match
 * contracts/api/openapi.json (test/support/openapi-responses.ts), at the call that got it, naming the
 * route, the status and the schema errors. Off with ANCORA_VALIDATE_RESPONSES=0.
 */
export function checkResponsesAgainstOpenApi(app: NestFastifyApplication): void {
  if (!responseValidationEnabled()) return;
  const inject: Inject = app.inject.bind(app);
  const checked = async (opts: InjectOptions) => {
    const res = await inject(opts);
    const { method = 'GET', url } = typeof opts === 'string' ? { url: opts } : opts;
    const problem = committedOpenApiResponses().check({
      method: String(method),
      url: typeof url === 'string' ? url : (url?.pathname ?? ''),
      status: res.statusCode,
      contentType: res.headers['content-type'] as string | undefined,
      body: res.body,
    });
    if (problem !== null) throw new Error(problem);
    return res;
  };
  // Without arguments inject returns a chain (not used by the tests), which is left alone.
  app.inject = ((opts?: InjectOptions) => (opts === undefined ? inject() : checked(opts))) as Inject;
}
