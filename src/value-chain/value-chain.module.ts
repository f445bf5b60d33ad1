import { Module } from '@nestjs/common';
import { ProjectsController } from 'src/value-chain/projects.controller';
import { ProjectsService } from 'src/value-chain/projects.service';
import { ReferencePopulationsController } from 'src/value-chain/reference-populations.controller';
import { ReferencePopulationsService } from 'src/value-chain/reference-populations.service';
import { ValueChainLinksController } from 'src/value-chain/value-chain-links.controller';
import { ValueChainLinksService } from 'src/value-chain/value-chain-links.service';
import { ValueChainNodesController } from 'src/value-chain/value-chain-nodes.controller';
import { ValueChainNodesService } from 'src/value-chain/value-chain-nodes.service';
import { ValueChainController } from 'src/value-chain/value-chain.controller';
import { ValueChainViewsService } from 'src/value-chain/value-chain-views.service';

@Module({
  controllers: [
    ProjectsController,
    ValueChainNodesController,
    ValueChainLinksController,
    ValueChainController,
    ReferencePopulationsController,
  ],
  providers: [ProjectsService, ValueChainNodesService, ValueChainLinksService, ValueChainViewsService, ReferencePopulationsService],
  exports: [ProjectsService, ValueChainNodesService],
})
export class ValueChainModule {}
