import { createServer } from 'node:net';
import { AddressInfo } from 'node:net';
import { assertCanListen, explainListenError, StartupError } from 'src/app/port-check';
import { closeServer, occupyPort, startupRefusal } from 'test/support/ports';

// The check before the service migrates anything: a short-lived bind of HOST:PORT, and the one-line
// reasons a bind fails for, which main.ts prints without a stack.

function explained(error: unknown, host: string, port: number): string {
  const result = explainListenError(error, host, port);
  expect(result).toBeInstanceOf(StartupError);
  return (result as StartupError).message;
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`listen ${code}`), { code, syscall: 'listen' });
}

describe('assertCanListen', () => {
  it('refuses a port another process listens on, naming it and what to do', async () => {
    const busy = await occupyPort();
    const port = (busy.address() as AddressInfo).port;
    try {
      expect(await startupRefusal(assertCanListen('127.0.0.1', port))).toBe(`port ${port} is already in use on 127.0.0.1: stop the other process or set PORT`);
    } finally {
      await closeServer(busy);
    }
  });

  it('lets go of a free port again, so the service can bind it right after', async () => {
    const free = await occupyPort();
    const port = (free.address() as AddressInfo).port;
    await closeServer(free);
    await assertCanListen('127.0.0.1', port);
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen({ host: '127.0.0.1', port }, resolve);
    });
    await closeServer(again);
  });

  it('refuses a HOST that is not an address of this machine', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
    expect(await startupRefusal(assertCanListen('192.0.2.1', 3000))).toBe(
      'HOST 192.0.2.1 is not an address of this machine: set HOST (127.0.0.1, or 0.0.0.0 for every interface)',
    );
  });
});

describe('explainListenError', () => {
  it('turns a busy, privileged or foreign address into one line for the operator', () => {
    expect(explained(errno('EADDRINUSE'), '0.0.0.0', 3250)).toBe('port 3250 is already in use on 0.0.0.0: stop the other process or set PORT');
    expect(explained(errno('EACCES'), '0.0.0.0', 80)).toBe('port 80 on 0.0.0.0 needs privileges this user does not have: set PORT to 1024 or above');
    expect(explained(errno('EADDRNOTAVAIL'), '10.9.9.9', 3000)).toBe('HOST 10.9.9.9 is not an address of this machine: set HOST (127.0.0.1, or 0.0.0.0 for every interface)');
  });

  it('leaves any other error as it is, to be reported with its stack', () => {
    const other = errno('EMFILE');
    expect(explainListenError(other, '127.0.0.1', 3000)).toBe(other);
    expect(explainListenError('not an error', '127.0.0.1', 3000)).toBe('not an error');
  });
});
