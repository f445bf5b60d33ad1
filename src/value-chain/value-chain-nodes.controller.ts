import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import {
  CreateValueChainNodeDto,
  ListValueChainNodesQueryDto,
  UpdateValueChainNodeDto,
  ValueChainNodeDto,
  ValueChainNodePageDto,
} from 'src/value-chain/dto/value-chain-node.dto';
import { ValueChainNodesService } from 'src/value-chain/value-chain-nodes.service';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('value chain')
@Controller()
export class ValueChainNodesController {
  constructor(private readonly nodes: ValueChainNodesService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post('projects/:projectId/value-chain/nodes')
  create(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string, @Body() dto: CreateValueChainNodeDto): Promise<ValueChainNodeDto> {
    return this.nodes.create(principal, projectId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('projects/:projectId/value-chain/nodes')
  list(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string, @Query() query: ListValueChainNodesQueryDto): Promise<ValueChainNodePageDto> {
    return this.nodes.list(principal, projectId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('value-chain/nodes/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ValueChainNodeDto> {
    return this.nodes.get(principal, id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Patch('value-chain/nodes/:id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateValueChainNodeDto): Promise<ValueChainNodeDto> {
    return this.nodes.update(principal, id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('value-chain/nodes/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.nodes.remove(principal, id);
  }
}
