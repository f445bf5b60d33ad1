import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { IdParam } from 'src/common/validation/id-param';
import { ApiTags } from '@nestjs/swagger';
import {
  CreateOrganisationDto,
  ListOrganisationsQueryDto,
  OrganisationDto,
  OrganisationPageDto,
  UpdateOrganisationDto,
} from 'src/organisations/dto/organisation.dto';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { Allow } from 'src/auth/auth.decorators';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('organisations')
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post()
  create(@Body() dto: CreateOrganisationDto): Promise<OrganisationDto> {
    return this.organisations.create(dto);
  }

  @Allow(...ANY_ROLE)
  @Get()
  list(@Query() query: ListOrganisationsQueryDto): Promise<OrganisationPageDto> {
    return this.organisations.list(query);
  }

  @Allow(...ANY_ROLE)
  @Get(':id')
  get(@IdParam() id: string): Promise<OrganisationDto> {
    return this.organisations.get(id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Patch(':id')
  update(@IdParam() id: string, @Body() dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    return this.organisations.update(id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete(':id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.organisations.remove(id);
  }
}
