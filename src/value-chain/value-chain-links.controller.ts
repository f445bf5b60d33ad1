import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import { CreateValueChainLinkDto, ValueChainLinkDto, ValueChainLinkPageDto } from 'src/value-chain/dto/value-chain-link.dto';
import { ValueChainLinksService } from 'src/value-chain/value-chain-links.service';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('value chain')
@Controller()
export class ValueChainLinksController {
  constructor(private readonly links: ValueChainLinksService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post('projects/:projectId/value-chain/links')
  create(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string, @Body() dto: CreateValueChainLinkDto): Promise<ValueChainLinkDto> {
    return this.links.create(principal, projectId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('projects/:projectId/value-chain/links')
  list(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string, @Query() query: PageQueryDto): Promise<ValueChainLinkPageDto> {
    return this.links.list(principal, projectId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('value-chain/links/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ValueChainLinkDto> {
    return this.links.get(principal, id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('value-chain/links/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.links.remove(principal, id);
  }
}
