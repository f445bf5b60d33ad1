import { Socket } from 'node:net';
import { clientErrorHandler } from 'src/app/client-errors';

function socket(state: { destroyed?: boolean; writable?: boolean } = {}) {
  const written: string[] = [];
  const s = { destroyed: state.destroyed ?? false, writable: state.writable ?? true, write: (text: string) => written.push(text), destroy: jest.fn() };
  return { s: s as unknown as Socket, written, destroy: s.destroy };
}

const error = (code: string) => Object.assign(new Error(code), { code });

describe('answers to requests Node refuses before Fastify sees them', () => {
  it('answers headers too large with 431 and the common body, and closes the connection', () => {
    const { s, written, destroy } = socket();
    clientErrorHandler(error('HPE_HEADER_OVERFLOW'), s);
    const body = JSON.stringify({ code: 'MALFORMED_REQUEST', message: 'The request headers are larger than the server accepts (16 KiB in all)', details: {} });
    expect(written).toEqual([
      `HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    ]);
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('answers a late request with 408 and anything else with 400', () => {
    const late = socket();
    clientErrorHandler(error('ERR_HTTP_REQUEST_TIMEOUT'), late.s);
    expect(late.written[0]).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*"code":"MALFORMED_REQUEST","message":"The request was not received in time"/);
    const garbage = socket();
    clientErrorHandler(error('HPE_INVALID_METHOD'), garbage.s);
    expect(garbage.written[0]).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"message":"The request is not valid HTTP"/);
  });

  it('writes nothing to a reset, destroyed or closed connection', () => {
    const reset = socket();
    clientErrorHandler(error('ECONNRESET'), reset.s);
    expect([reset.written, reset.destroy.mock.calls.length]).toEqual([[], 0]);
    const gone = socket({ destroyed: true });
    clientErrorHandler(error('HPE_HEADER_OVERFLOW'), gone.s);
    expect(gone.written).toEqual([]);
    const closed = socket({ writable: false });
    clientErrorHandler(error('HPE_HEADER_OVERFLOW'), closed.s);
    expect([closed.written, closed.destroy.mock.calls.length]).toEqual([[], 1]);
  });
});
