import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from 'src/common/validation/id-param';
import {
  CreateValueChainNodeDto,
  ListValueChainNodesQueryDto,
  UpdateValueChainNodeDto,
  ValueChainNodeDto,
  ValueChainNodePageDto,
} from 'src/value-chain/dto/value-chain-node.dto';
import { ValueChainNodesService } from 'src/value-chain/value-chain-nodes.service';
import { Allow } from 'src/auth/auth.decorators';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('value chain')
@Controller()
export class ValueChainNodesController {
  constructor(private readonly nodes: ValueChainNodesService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post('projects/:projectId/value-chain/nodes')
  create(@IdParam('projectId') projectId: string, @Body() dto: CreateValueChainNodeDto): Promise<ValueChainNodeDto> {
    return this.nodes.create(projectId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('projects/:projectId/value-chain/nodes')
  list(@IdParam('projectId') projectId: string, @Query() query: ListValueChainNodesQueryDto): Promise<ValueChainNodePageDto> {
    return this.nodes.list(projectId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('value-chain/nodes/:id')
  get(@IdParam() id: string): Promise<ValueChainNodeDto> {
    return this.nodes.get(id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Patch('value-chain/nodes/:id')
  update(@IdParam() id: string, @Body() dto: UpdateValueChainNodeDto): Promise<ValueChainNodeDto> {
    return this.nodes.update(id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('value-chain/nodes/:id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.nodes.remove(id);
  }
}
