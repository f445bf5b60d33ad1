import { AddressInfo } from 'node:net';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from 'src/app/create-app';
import { assertCanListen, explainListenError, StartupError } from 'src/app/port-check';
import { AppConfig } from 'src/config/app-config';
import { describeDatabase } from 'src/config/database-description';
import { createDemoUsers, DEMO_CONTRACT, readDemoCredentials } from 'src/demo/demo-credentials';
import { createDemoSettlements } from 'src/demo/demo-settlements';
import { DemoDataLoader } from 'src/demo/demo-data.loader';

/**
 * Starts the service: checks that HOST:PORT can be bound, then builds the app (which migrates the database),
 * loads the demo into an empty database when DEMO_DATA is on, and listens. The check comes first so that a
 * busy port stops the start before the database, the demo data or data/demo-credentials.json are written.
 */
export async function startService(config: AppConfig, logger: ConsoleLogger | false): Promise<NestFastifyApplication> {
  await assertCanListen(config.host, config.port);
  const app = await createApp(config, logger);
  if (config.demoData) {
    await app.init();
    if (await app.get(DemoDataLoader).loadIfEmpty()) {
      const demoLog = new Logger('DemoData');
      const file = await createDemoUsers(app);
      demoLog.log(`Demo API keys, one per role, written to ${file}`);
      const settled = await createDemoSettlements(app, DEMO_CONTRACT, readDemoCredentials(file));
      demoLog.log(`Demo settlements (indicator set approved by the municipality and both grouping leads, Y1 measured and settled): ${settled.join('; ')}`);
    }
  }
  await listen(app, config.host, config.port);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  new Logger('Ancora').log(`Listening on http://${config.host}:${port}/api/v1 (docs at /api/docs, ${describeDatabase(config.database)})`);
  return app;
}

/**
 * Listens, turning what the operator can fix (a busy or privileged port, a HOST that is not this machine's)
 * into a StartupError after closing the app; assertCanListen catches these before anything is written,
 * this is for a port taken in between.
 */
export async function listen(app: NestFastifyApplication, host: string, port: number): Promise<void> {
  try {
    await app.listen(port, host);
  } catch (error) {
    const explained = explainListenError(error, host, port);
    if (explained instanceof StartupError) {
      await app.close();
    }
    throw explained;
  }
}
