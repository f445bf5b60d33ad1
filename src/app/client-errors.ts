import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { ErrorBody } from 'src/common/errors/http-error.filter';

// Requests Node's HTTP parser refuses before Fastify sees them (headers too large, a request line that is
// not HTTP, a client too slow to send its request) are answered on the socket. Fastify's default answer is
// `{ error, message, statusCode }`; this one is the common error body (docs/decisions/0002-error-model.md).

function answer(error: Error & { code?: string }): { status: number; body: ErrorBody } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, body: { code: 'MALFORMED_REQUEST', message: 'The request headers are larger than the server accepts (16 KiB in all)', details: {} } };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, body: { code: 'MALFORMED_REQUEST', message: 'The request was not received in time', details: {} } };
  }
  return { status: 400, body: { code: 'MALFORMED_REQUEST', message: 'The request is not valid HTTP', details: {} } };
}

/** Fastify's `clientErrorHandler`: the same cases as its default, with the common body. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection is gone: nothing to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, body } = answer(error);
    const text = JSON.stringify(body);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`);
  }
  socket.destroy(error);
}
