import { ArgumentsHost, ConflictException, ForbiddenException, HttpException, HttpStatus, Logger, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { defineErrors } from 'src/common/errors/domain-error';
import { HttpErrorFilter } from 'src/common/errors/http-error.filter';

type ThingErrorCode = 'THING_NOT_FOUND' | 'THING_SHARES_NOT_ONE';
const ThingError = defineErrors<ThingErrorCode>('ThingError', {
  THING_NOT_FOUND: HttpStatus.NOT_FOUND,
  THING_SHARES_NOT_ONE: HttpStatus.UNPROCESSABLE_ENTITY,
});

describe('defineErrors', () => {
  it('makes an error class whose status comes from the table by code', () => {
    const error = new ThingError('THING_SHARES_NOT_ONE', 'Shares sum to 0.9', { fields: [{ field: 'members', message: 'sum is 0.9' }] });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ThingError');
    expect(ThingError.name).toBe('ThingError');
    expect(error.status).toBe(422);
    expect(error.code).toBe('THING_SHARES_NOT_ONE');
    expect(new ThingError('THING_NOT_FOUND', 'x').details).toEqual({});
  });
});

describe('HttpErrorFilter', () => {
  const filter = new HttpErrorFilter();
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    logged.mockRestore();
  });

  it('answers a domain error with its own status, code, message and details', () => {
    const details = { fields: [{ field: 'members[1].executionShare', message: 'sum is 0.9' }], total: '0.9' };
    expect(filter.toResponse(new ThingError('THING_SHARES_NOT_ONE', 'Shares sum to 0.9', details))).toEqual({
      status: 422,
      body: { code: 'THING_SHARES_NOT_ONE', message: 'Shares sum to 0.9', details },
    });
  });

  it.each([
    [new NotFoundException('Cannot GET /api/v1/nope'), 404, 'ROUTE_NOT_FOUND', 'Cannot GET /api/v1/nope'],
    [new ConflictException('taken'), 409, 'CONFLICT', 'taken'],
    // A status without a code of its own is still a client error with a stable code.
    [new ForbiddenException('no'), 403, 'MALFORMED_REQUEST', 'no'],
  ])('maps Nest %p to %i %s', (exception, status, code, message) => {
    expect(filter.toResponse(exception)).toEqual({ status, body: { code, message, details: {} } });
  });

  it('rewords Fastify\'s own errors, by their code or (as Nest hands them over) by status, with the details a client needs', () => {
    const tooLarge = { status: 413, body: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than the 10485760 bytes (10 MiB) a request may carry', details: { maxBytes: 10485760 } } };
    expect(filter.toResponse(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())).toEqual(tooLarge);
    expect(filter.toResponse(new PayloadTooLargeException())).toEqual(tooLarge);
    const media = { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'This request takes application/json, not text/plain', details: { contentType: 'text/plain', allowed: ['application/json'] } };
    expect(filter.toResponse(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/plain'), 'Text/Plain; charset=utf-8')).toEqual({ status: 415, body: media });
    expect(filter.toResponse(new HttpException('Unsupported Media Type', 415), ['text/plain'])).toEqual({ status: 415, body: media });
    expect(filter.toResponse(new HttpException('Unsupported Media Type', 415)).body.message).toBe('This request takes application/json: send a Content-Type header with the body');
    expect(filter.toResponse(new errorCodes.FST_ERR_BAD_URL('/x/%E0')).body).toEqual({
      code: 'MALFORMED_REQUEST',
      message: 'The URL is not valid: a percent-encoded sequence in it does not decode (write a literal % as %25)',
      details: {},
    });
    expect(filter.toResponse(new errorCodes.FST_ERR_MAX_PARAM_LENGTH('/x/aaaa'))).toEqual({
      status: 414,
      body: { code: 'MALFORMED_REQUEST', message: 'A path segment is longer than the 100 characters an id or code may have', details: { maxLength: 100 } },
    });
    const badJson = Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 });
    expect(filter.toResponse(badJson).body).toEqual({ code: 'MALFORMED_REQUEST', message: 'Unexpected end of JSON input', details: {} });
  });

  it('never trusts a statusCode outside 400-599', () => {
    expect(filter.toResponse(Object.assign(new Error('odd'), { statusCode: 200 })).status).toBe(500);
    expect(filter.toResponse(Object.assign(new Error('odd'), { statusCode: '404' })).status).toBe(500);
  });

  it('turns anything unexpected into a 500 that does not leak the message', () => {
    const secret = new Error('SQLITE_ERROR: no such table: organisations (at /srv/ancora/data.sqlite)');
    for (const exception of [secret, 'a string', null, { weird: true }]) {
      expect(filter.toResponse(exception)).toEqual({
        status: 500,
        body: { code: 'INTERNAL_ERROR', message: 'Internal error', details: {} },
      });
    }
    // A 5xx from the framework keeps its status but not its text.
    expect(filter.toResponse(Object.assign(new Error('upstream said: password=x'), { statusCode: 503 }))).toEqual({
      status: 503,
      body: { code: 'INTERNAL_ERROR', message: 'Internal error', details: {} },
    });
  });

  it('sends the body through the reply and logs only server errors, with their stack', () => {
    const sent: { status?: number; body?: unknown } = {};
    const reply = {
      status(code: number) {
        sent.status = code;
        return this;
      },
      send(body: unknown) {
        sent.body = body;
        return this;
      },
    };
    const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ headers: {} }) }) } as unknown as ArgumentsHost;

    filter.catch(new ThingError('THING_NOT_FOUND', 'Thing 1 not found'), host);
    expect(sent).toEqual({ status: 404, body: { code: 'THING_NOT_FOUND', message: 'Thing 1 not found', details: {} } });
    expect(logged).not.toHaveBeenCalled();

    filter.catch(new Error('boom'), host);
    expect(sent).toEqual({ status: 500, body: { code: 'INTERNAL_ERROR', message: 'Internal error', details: {} } });
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0][0]).toMatch(/^Error: boom\n\s+at /);
  });
});
