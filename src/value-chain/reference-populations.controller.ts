import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import {
  CreateReferencePopulationDto,
  ReferencePopulationDto,
  ReferencePopulationPageDto,
  UpdateReferencePopulationDto,
} from 'src/value-chain/dto/reference-population.dto';
import { ReferencePopulationsService } from 'src/value-chain/reference-populations.service';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('reference populations')
@Controller()
export class ReferencePopulationsController {
  constructor(private readonly populations: ReferencePopulationsService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post('projects/:projectId/reference-populations')
  create(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string, @Body() dto: CreateReferencePopulationDto): Promise<ReferencePopulationDto> {
    return this.populations.create(principal, projectId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('projects/:projectId/reference-populations')
  list(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string, @Query() query: PageQueryDto): Promise<ReferencePopulationPageDto> {
    return this.populations.list(principal, projectId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('reference-populations/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ReferencePopulationDto> {
    return this.populations.get(principal, id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Patch('reference-populations/:id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateReferencePopulationDto): Promise<ReferencePopulationDto> {
    return this.populations.update(principal, id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('reference-populations/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.populations.remove(principal, id);
  }
}
