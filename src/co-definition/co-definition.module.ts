import { Module } from '@nestjs/common';
import { CoDefinitionAccess } from 'src/co-definition/co-definition.access';
import { IndicatorSetVersionsController } from 'src/co-definition/indicator-set-versions.controller';
import { IndicatorSetVersionsService } from 'src/co-definition/indicator-set-versions.service';
import { ProposalsController } from 'src/co-definition/proposals.controller';
import { ProposalsService } from 'src/co-definition/proposals.service';

/** Co-definition (co-progettazione): proposal sheets, versioned indicator sets, double approval, the resolver. */
@Module({
  controllers: [ProposalsController, IndicatorSetVersionsController],
  providers: [CoDefinitionAccess, ProposalsService, IndicatorSetVersionsService],
})
export class CoDefinitionModule {}
