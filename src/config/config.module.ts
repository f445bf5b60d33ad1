import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { Clock, SystemClock } from 'src/common/clock/clock';
import { IdGenerator, RandomIdGenerator } from 'src/common/clock/id-generator';

/** Provides the validated configuration and the process-wide clock and id generator. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useClass: SystemClock },
        { provide: IdGenerator, useClass: RandomIdGenerator },
      ],
      exports: [APP_CONFIG, Clock, IdGenerator],
    };
  }
}
