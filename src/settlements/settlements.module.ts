import { Module } from '@nestjs/common';
import { MeasurementAccess } from 'src/measurements/measurement.access';
import { EvaluationRecordsService } from 'src/settlements/evaluation-records.service';
import { RuleSetTestsService } from 'src/settlements/rule-set-tests.service';
import { RuleSetValidator } from 'src/settlements/rule-set.validator';
import { SettlementAccess } from 'src/settlements/settlement.access';
import { SettlementPortfolio } from 'src/settlements/settlement-portfolio';
import { SettlementRunsService } from 'src/settlements/settlement-runs.service';
import { SettlementSimulationsService } from 'src/settlements/settlement-simulations.service';
import { SettlementsController } from 'src/settlements/settlements.controller';
import { SettlementDraftsService } from 'src/settlements/settlement-drafts.service';
import { SettlementsService } from 'src/settlements/settlements.service';

@Module({
  controllers: [SettlementsController],
  providers: [MeasurementAccess, SettlementAccess, SettlementsService, SettlementDraftsService, SettlementSimulationsService, SettlementPortfolio, SettlementRunsService, EvaluationRecordsService, RuleSetValidator, RuleSetTestsService],
  exports: [SettlementsService, SettlementDraftsService, SettlementRunsService, SettlementAccess],
})
export class SettlementsModule {}
