import { createServer } from 'node:net';

/** A start that cannot go on for a reason the operator can fix; main.ts prints the message alone and exits 1. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Binds HOST:PORT for a moment and lets go again; throws a StartupError saying why it cannot be bound. */
export async function assertCanListen(host: string, port: number): Promise<void> {
  if (port === 0) {
    return; // any free port: nothing to check
  }
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ host, port }, resolve);
  }).catch((error: unknown) => {
    throw explainListenError(error, host, port);
  });
  await new Promise<void>((resolve, reject) => probe.close((error) => (error ? reject(error) : resolve())));
}

const REASONS = new Map<string, (host: string, port: number) => string>([
  ['EADDRINUSE', (host, port) => `port ${port} is already in use on ${host}: stop the other process or set PORT`],
  ['EACCES', (host, port) => `port ${port} on ${host} needs privileges this user does not have: set PORT to 1024 or above`],
  ['EADDRNOTAVAIL', (host) => `HOST ${host} is not an address of this machine: set HOST (127.0.0.1, or 0.0.0.0 for every interface)`],
]);

/** The one-line reason for a failed bind, as a StartupError; other errors are returned unchanged. */
export function explainListenError(error: unknown, host: string, port: number): unknown {
  const reason = REASONS.get(String((error as NodeJS.ErrnoException | null)?.code));
  return reason === undefined ? error : new StartupError(reason(host, port));
}
