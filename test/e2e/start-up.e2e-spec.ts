import { existsSync, readdirSync } from 'node:fs';
import { AddressInfo, Server } from 'node:net';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from 'src/app/create-app';
import { listen, startService } from 'src/app/start-service';
import { AppConfig } from 'src/config/app-config';
import { buildDataSourceOptions } from 'src/config/database-options';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';
import { testAppConfig } from 'test/support/test-config';
import { closeServer, occupyPort, startupRefusal } from 'test/support/ports';

// Starting the service (what main.ts runs) on a port another process holds: refused with one line before
// the database is migrated or the demo data and its credentials are written; a port taken between that
// check and listening is refused the same way, with the app closed.

/** Whether the database holds anything: the SQLite file, or Ancora's tables in the PostgreSQL database. */
async function databaseWritten(config: AppConfig): Promise<boolean> {
  if (config.database.kind === 'sqlite') {
    return existsSync(config.database.path);
  }
  const ds = new DataSource(buildDataSourceOptions(config.database));
  await ds.initialize();
  try {
    return await ds.createQueryRunner().hasTable('migrations');
  } finally {
    await ds.destroy();
  }
}

describe('Starting the service on a port in use', () => {
  let db: TestDatabase;
  let busy: Server;
  let port: number;

  beforeEach(async () => {
    db = await createTestDatabase();
    busy = await occupyPort();
    port = (busy.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await closeServer(busy);
    await db.dispose();
  });

  it('stops with one line naming the port, before migrating, loading the demo or writing its credentials', async () => {
    // On SQLite the demo's credentials would go next to the database file, in this test's own folder.
    const config = testAppConfig(db.config, { port, demoData: db.config.kind === 'sqlite' });
    expect(await startupRefusal(startService(config, false))).toBe(`port ${port} is already in use on 127.0.0.1: stop the other process or set PORT`);
    expect(await databaseWritten(config)).toBe(false);
    if (db.config.kind === 'sqlite') {
      expect(readdirSync(dirname(db.config.path))).toEqual([]);
    }
  });

  it('refuses a port taken after that check the same way, and closes the app it built', async () => {
    const app = await createApp(testAppConfig(db.config, { port }), false);
    expect(await startupRefusal(listen(app, '127.0.0.1', port))).toBe(`port ${port} is already in use on 127.0.0.1: stop the other process or set PORT`);
    // Closed: its database connection is gone.
    expect(app.get(DataSource).isInitialized).toBe(false);
  });

  it('starts on a free port and answers there', async () => {
    const app = await startService(testAppConfig(db.config, { port: 0 }), false);
    try {
      const where = app.getHttpServer().address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${where.port}/health`);
      expect(res.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
