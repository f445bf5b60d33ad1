import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import { CreateProjectDto, ListProjectsQueryDto, ProjectDto, ProjectPageDto, UpdateProjectDto } from 'src/value-chain/dto/project.dto';
import { ProjectsService } from 'src/value-chain/projects.service';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateProjectDto): Promise<ProjectDto> {
    return this.projects.create(principal, dto);
  }

  @Allow(...ANY_ROLE)
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListProjectsQueryDto): Promise<ProjectPageDto> {
    return this.projects.list(principal, query);
  }

  @Allow(...ANY_ROLE)
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ProjectDto> {
    return this.projects.get(principal, id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateProjectDto): Promise<ProjectDto> {
    return this.projects.update(principal, id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.projects.remove(principal, id);
  }
}
