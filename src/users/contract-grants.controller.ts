import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import { ContractGrantDto, ContractGrantPageDto, CreateContractGrantDto } from 'src/users/dto/contract-grant.dto';
import { ContractGrantsService } from 'src/users/contract-grants.service';

@ApiTags('contract grants')
@Controller()
export class ContractGrantsController {
  constructor(private readonly grants: ContractGrantsService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post('contracts/:contractId/grants')
  create(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Body() dto: CreateContractGrantDto): Promise<ContractGrantDto> {
    return this.grants.create(principal, contractId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/grants')
  list(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Query() query: PageQueryDto): Promise<ContractGrantPageDto> {
    return this.grants.list(principal, contractId, query);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('contract-grants/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.grants.remove(principal, id);
  }
}
