import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import {
  CreateReferencePopulationDto,
  ReferencePopulationDto,
  ReferencePopulationPageDto,
  UpdateReferencePopulationDto,
} from 'src/value-chain/dto/reference-population.dto';
import { ReferencePopulationsService } from 'src/value-chain/reference-populations.service';
import { Allow } from 'src/auth/auth.decorators';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('reference populations')
@Controller()
export class ReferencePopulationsController {
  constructor(private readonly populations: ReferencePopulationsService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post('projects/:projectId/reference-populations')
  create(@IdParam('projectId') projectId: string, @Body() dto: CreateReferencePopulationDto): Promise<ReferencePopulationDto> {
    return this.populations.create(projectId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('projects/:projectId/reference-populations')
  list(@IdParam('projectId') projectId: string, @Query() query: PageQueryDto): Promise<ReferencePopulationPageDto> {
    return this.populations.list(projectId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('reference-populations/:id')
  get(@IdParam() id: string): Promise<ReferencePopulationDto> {
    return this.populations.get(id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Patch('reference-populations/:id')
  update(@IdParam() id: string, @Body() dto: UpdateReferencePopulationDto): Promise<ReferencePopulationDto> {
    return this.populations.update(id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('reference-populations/:id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.populations.remove(id);
  }
}
