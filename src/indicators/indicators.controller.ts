import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from 'src/common/validation/id-param';
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
import { Allow } from 'src/auth/auth.decorators';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('indicators')
@Controller()
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  /** Defines an indicator of the contract, optionally with its baselines, targets and denominators, all validated together. */
  @Allow(...STRUCTURE_EDITORS)
  @Post('contracts/:contractId/indicators')
  create(@IdParam('contractId') contractId: string, @Body() dto: CreateIndicatorDto): Promise<IndicatorDto> {
    return this.indicators.create(contractId, dto);
  }

  /** The contract's indicators in document order, filtered by node, unit or direction. */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/indicators')
  list(@IdParam('contractId') contractId: string, @Query() query: ListIndicatorsQueryDto): Promise<IndicatorPageDto> {
    return this.indicators.list(contractId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('indicators/:id')
  get(@IdParam() id: string): Promise<IndicatorDto> {
    return this.indicators.get(id);
  }

  /** Changing unit, direction or scope re-validates the stored baselines, targets and denominators. */
  @Allow(...STRUCTURE_EDITORS)
  @Patch('indicators/:id')
  update(@IdParam() id: string, @Body() dto: UpdateIndicatorDto): Promise<IndicatorDto> {
    return this.indicators.update(id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('indicators/:id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.indicators.remove(id);
  }

  /** Replaces all baselines at once, validated with the stored targets. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('indicators/:id/baselines')
  replaceBaselines(@IdParam() id: string, @Body() dto: ReplaceBaselinesDto): Promise<IndicatorDto> {
    return this.indicators.replaceBaselines(id, dto);
  }

  /** Replaces all targets at once, validated with the stored baselines. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('indicators/:id/targets')
  replaceTargets(@IdParam() id: string, @Body() dto: ReplaceTargetsDto): Promise<IndicatorDto> {
    return this.indicators.replaceTargets(id, dto);
  }

  /** Replaces all denominators (reference populations) at once. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('indicators/:id/denominators')
  replaceDenominators(@IdParam() id: string, @Body() dto: ReplaceDenominatorsDto): Promise<IndicatorDto> {
    return this.indicators.replaceDenominators(id, dto);
  }
}
