import { createServer, Server } from 'node:net';
import { StartupError } from 'src/app/port-check';

/** A server holding a free port on 127.0.0.1 (its `address().port`), as another process would. */
export function occupyPort(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(server)));
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The message of the StartupError a start-up step rejects with (failing the test if it rejects with anything else, or resolves). */
export async function startupRefusal(outcome: Promise<unknown>): Promise<string> {
  const error = await outcome.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StartupError);
  return (error as StartupError).message;
}
