import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from 'src/config/app-config';
import { buildDataSourceOptions } from 'src/config/database-options';

// For the TypeORM CLI (`npm run migration:run`); the app builds its options through the same function.
export default new DataSource(buildDataSourceOptions(loadConfig(process.env).database));
