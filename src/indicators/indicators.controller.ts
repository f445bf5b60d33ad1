import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import {
  CreateIndicatorDto,
  IndicatorDto,
  IndicatorPageDto,
  ListIndicatorsQueryDto,
  ReplaceBaselinesDto,
  ReplaceDenominatorsDto,
  ReplaceTargetsDto,
  UpdateIndicatorDto,
} from 'src/indicators/dto/indicator.dto';
import { IndicatorsService } from 'src/indicators/indicators.service';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('indicators')
@Controller()
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  /** Defines an indicator of the contract, optionally with its baselines, targets and denominators, all validated together. */
  @Allow(...STRUCTURE_EDITORS)
  @Post('contracts/:contractId/indicators')
  create(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Body() dto: CreateIndicatorDto): Promise<IndicatorDto> {
    return this.indicators.create(principal, contractId, dto);
  }

  /** The contract's indicators in document order, filtered by node, unit or direction. */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/indicators')
  list(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Query() query: ListIndicatorsQueryDto): Promise<IndicatorPageDto> {
    return this.indicators.list(principal, contractId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('indicators/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<IndicatorDto> {
    return this.indicators.get(principal, id);
  }

  /** Changing unit, direction or scope re-validates the stored baselines, targets and denominators. */
  @Allow(...STRUCTURE_EDITORS)
  @Patch('indicators/:id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateIndicatorDto): Promise<IndicatorDto> {
    return this.indicators.update(principal, id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('indicators/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.indicators.remove(principal, id);
  }

  /** Replaces all baselines at once, validated with the stored targets. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('indicators/:id/baselines')
  replaceBaselines(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: ReplaceBaselinesDto): Promise<IndicatorDto> {
    return this.indicators.replaceBaselines(principal, id, dto);
  }

  /** Replaces all targets at once, validated with the stored baselines. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('indicators/:id/targets')
  replaceTargets(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: ReplaceTargetsDto): Promise<IndicatorDto> {
    return this.indicators.replaceTargets(principal, id, dto);
  }

  /** Replaces all denominators (reference populations) at once. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('indicators/:id/denominators')
  replaceDenominators(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: ReplaceDenominatorsDto): Promise<IndicatorDto> {
    return this.indicators.replaceDenominators(principal, id, dto);
  }
}
