import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import { ApiTags } from '@nestjs/swagger';
import {
  CreateOrganisationDto,
  ListOrganisationsQueryDto,
  OrganisationDto,
  OrganisationPageDto,
  UpdateOrganisationDto,
} from 'src/organisations/dto/organisation.dto';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('organisations')
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrganisationDto): Promise<OrganisationDto> {
    return this.organisations.create(principal, dto);
  }

  @Allow(...ANY_ROLE)
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrganisationsQueryDto): Promise<OrganisationPageDto> {
    return this.organisations.list(principal, query);
  }

  @Allow(...ANY_ROLE)
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<OrganisationDto> {
    return this.organisations.get(principal, id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    return this.organisations.update(principal, id, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.organisations.remove(principal, id);
  }
}
