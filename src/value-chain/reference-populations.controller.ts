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

@ApiTags('reference populations')
@Controller()
export class ReferencePopulationsController {
  constructor(private readonly populations: ReferencePopulationsService) {}

  @Post('projects/:projectId/reference-populations')
  create(@IdParam('projectId') projectId: string, @Body() dto: CreateReferencePopulationDto): Promise<ReferencePopulationDto> {
    return this.populations.create(projectId, dto);
  }

  @Get('projects/:projectId/reference-populations')
  list(@IdParam('projectId') projectId: string, @Query() query: PageQueryDto): Promise<ReferencePopulationPageDto> {
    return this.populations.list(projectId, query);
  }

  @Get('reference-populations/:id')
  get(@IdParam() id: string): Promise<ReferencePopulationDto> {
    return this.populations.get(id);
  }

  @Patch('reference-populations/:id')
  update(@IdParam() id: string, @Body() dto: UpdateReferencePopulationDto): Promise<ReferencePopulationDto> {
    return this.populations.update(id, dto);
  }

  @Delete('reference-populations/:id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.populations.remove(id);
  }
}
