import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { buildDataSourceOptions } from 'src/config/database-options';
import { Database } from 'src/database/database';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...buildDataSourceOptions(config.database), migrationsRun: true }),
    }),
  ],
  providers: [Database],
  exports: [Database],
})
export class DatabaseModule {}
