import { ConsoleLogger, LogLevel as NestLogLevel, RequestMethod, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from 'src/app.module';
import { AppConfig, LogLevel } from 'src/config/app-config';
import { BODY_LIMIT_BYTES, HttpErrorFilter } from 'src/common/errors/http-error.filter';
import { installJsonBodyParser } from 'src/app/json-body';
import { clientErrorHandler } from 'src/app/client-errors';
import { validationFailed } from 'src/common/errors/validation-errors';
import { withErrorResponses } from 'src/openapi/error-responses';
import { withJsonSchemaComponents } from 'src/openapi/json-schema-components';

export const API_PREFIX = 'api/v1';
export { BODY_LIMIT_BYTES };

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  verbose: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): ConsoleLogger {
  return new ConsoleLogger({
    json: config.logFormat === 'json',
    colors: config.logFormat === 'pretty',
    logLevels: NEST_LEVELS[config.logLevel],
  });
}

/** Builds the configured application without listening: used by main.ts, the e2e tests and the OpenAPI writer. */
export async function createApp(config: AppConfig, logger: ConsoleLogger | false = createLogger(config)): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(),
    { logger, bufferLogs: false, bodyParser: false },
  );
  configureApp(app);
  return app;
}

/** The Fastify adapter of the service, the CLI-less tests and the OpenAPI writer alike. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Errors Fastify meets before any route (a URL that does not decode, a path segment over its default
    // 100 characters) get the common body too; so do connection-level ones (headers too large), which are
    // answered on the socket.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = new HttpErrorFilter().toResponse(error, request.headers['content-type']);
      void reply.status(status).send(body);
    },
    clientErrorHandler,
  });
}

export function configureApp(app: NestFastifyApplication): void {
  // The API speaks JSON only: Nest's form parser is off (`bodyParser: false` where the app is created)
  // and Fastify's text/plain one is removed, so anything but JSON is a 415, not a half-parsed body.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  installJsonBodyParser(app.getHttpAdapter().getInstance());
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: validationFailed,
    }),
  );
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Ancora')
    .setDescription(
      'Outcome-based contracts for public social services: impact value chains, co-defined indicators, ' +
        'measurements and settlements. Money and measured values travel as decimal strings; errors are ' +
        '`{ code, message, details }`.',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An Ancora API key (ancora_...)' }, 'api-key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, or a JWT from the identity provider when configured' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}` });
  // The rule set and the settlement document, which DTOs refer to by name, from contracts/schema; the
  // common error body on every operation.
  return withErrorResponses(withJsonSchemaComponents(document));
}
