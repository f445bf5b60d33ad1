import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from 'src/audit/audit.module';
import { AuthModule } from 'src/auth/auth.module';
import { RefuseUnexpectedBodyInterceptor } from 'src/common/validation/unexpected-body';
import { AppConfig } from 'src/config/app-config';
import { ConfigModule } from 'src/config/config.module';
import { CoDefinitionModule } from 'src/co-definition/co-definition.module';
import { ContractDefinitionsModule } from 'src/contract-definitions/contract-definitions.module';
import { ContractsModule } from 'src/contracts/contracts.module';
import { DatabaseModule } from 'src/database/database.module';
import { HealthModule } from 'src/health/health.module';
import { IndicatorsModule } from 'src/indicators/indicators.module';
import { MeasurementsModule } from 'src/measurements/measurements.module';
import { OpenDataModule } from 'src/open-data/open-data.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { ReportsModule } from 'src/reports/reports.module';
import { SettlementsModule } from 'src/settlements/settlements.module';
import { UsersModule } from 'src/users/users.module';
import { ValueChainModule } from 'src/value-chain/value-chain.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        AuthModule,
        AuditModule,
        HealthModule,
        OrganisationsModule,
        ValueChainModule,
        ContractsModule,
        IndicatorsModule,
        ContractDefinitionsModule,
        UsersModule,
        SettlementsModule,
        CoDefinitionModule,
        MeasurementsModule,
        OpenDataModule,
        ReportsModule,
      ],
      // A body sent to a route that reads none is refused, not dropped (src/common/validation/unexpected-body.ts).
      providers: [{ provide: APP_INTERCEPTOR, useClass: RefuseUnexpectedBodyInterceptor }],
    };
  }
}
