import { Module } from '@nestjs/common';
import { CoDefinitionAccess } from 'src/co-definition/co-definition.access';
import { CommentsController } from 'src/co-definition/comments.controller';
import { CommentsService } from 'src/co-definition/comments.service';
import { IndicatorSetVersionsController } from 'src/co-definition/indicator-set-versions.controller';
import { IndicatorSetVersionsService } from 'src/co-definition/indicator-set-versions.service';
import { ProposalsController } from 'src/co-definition/proposals.controller';
import { ProposalsService } from 'src/co-definition/proposals.service';

/** Co-definition (co-progettazione): proposal sheets, versioned indicator sets, double approval, the resolver. */
@Module({
  controllers: [ProposalsController, IndicatorSetVersionsController, CommentsController],
  providers: [CoDefinitionAccess, ProposalsService, IndicatorSetVersionsService, CommentsService],
})
export class CoDefinitionModule {}
