import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, createLogger } from 'src/app/create-app';
import { ConfigurationError, loadConfig } from 'src/config/app-config';
import { createDemoUsers, DEMO_CONTRACT, readDemoCredentials } from 'src/demo/demo-credentials';
import { createDemoSettlements } from 'src/demo/demo-settlements';
import { DemoDataLoader } from 'src/demo/demo-data.loader';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createApp(config, createLogger(config));
  if (config.demoData) {
    await app.init();
    if (await app.get(DemoDataLoader).loadIfEmpty()) {
      const logger = new Logger('DemoData');
      const file = await createDemoUsers(app);
      logger.log(`Demo API keys, one per role, written to ${file}`);
      const settled = await createDemoSettlements(app, DEMO_CONTRACT, readDemoCredentials(file));
      logger.log(`Demo settlements (indicator set approved by the municipality and both grouping leads, Y1 measured and settled): ${settled.join('; ')}`);
    }
  }
  await app.listen(config.port, config.host);
  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.path}` : 'PostgreSQL';
  new Logger('Ancora').log(`Listening on http://${config.host}:${config.port}/api/v1 (docs at /api/docs, ${where})`);
}

void bootstrap();
