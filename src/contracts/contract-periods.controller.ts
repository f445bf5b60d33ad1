import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import { ContractPeriodsService } from 'src/contracts/contract-periods.service';
import { ContractPeriodDto, ContractPeriodPageDto, CreatePeriodDto, UpdatePeriodDto } from 'src/contracts/dto/contract.dto';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('contract periods')
@Controller()
export class ContractPeriodsController {
  constructor(private readonly periods: ContractPeriodsService) {}

  /** Appends a period: it starts the day after the last one ends and stays inside the contract. */
  @Allow(...STRUCTURE_EDITORS)
  @Post('contracts/:contractId/periods')
  append(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Body() dto: CreatePeriodDto): Promise<ContractPeriodDto> {
    return this.periods.append(principal, contractId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/periods')
  list(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Query() query: PageQueryDto): Promise<ContractPeriodPageDto> {
    return this.periods.list(principal, contractId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('contract-periods/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ContractPeriodDto> {
    return this.periods.get(principal, id);
  }

  /** Changes the phase label only; not while the period is closed (422 PERIOD_CLOSED: an approver reopens it first). */
  @Allow(...STRUCTURE_EDITORS)
  @Patch('contract-periods/:id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdatePeriodDto): Promise<ContractPeriodDto> {
    return this.periods.update(principal, id, dto);
  }

  /** Removes the last period of its contract. */
  @Allow(...STRUCTURE_EDITORS)
  @Delete('contract-periods/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.periods.remove(principal, id);
  }
}
