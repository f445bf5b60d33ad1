import 'reflect-metadata';
import { createLogger } from 'src/app/create-app';
import { StartupError } from 'src/app/port-check';
import { startService } from 'src/app/start-service';
import { ConfigurationError, loadConfig } from 'src/config/app-config';

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
  try {
    await startService(config, createLogger(config));
  } catch (error) {
    // A busy port and the like: one line the operator can act on, no stack.
    if (error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

void bootstrap();
