import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import { ContractsService } from 'src/contracts/contracts.service';
import {
  ContractDto,
  ContractPageDto,
  CreateContractDto,
  ListContractsQueryDto,
  PaymentRulesDto,
  PutPaymentRulesDto,
  UpdateContractDto,
} from 'src/contracts/dto/contract.dto';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateContractDto): Promise<ContractDto> {
    return this.contracts.create(principal, dto);
  }

  @Allow(...ANY_ROLE)
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListContractsQueryDto): Promise<ContractPageDto> {
    return this.contracts.list(principal, query);
  }

  @Allow(...ANY_ROLE)
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ContractDto> {
    return this.contracts.get(principal, id);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateContractDto): Promise<ContractDto> {
    return this.contracts.update(principal, id, dto);
  }

  /** Removes the contract with its periods, groupings, members and fees. */
  @Allow(...STRUCTURE_EDITORS)
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.contracts.remove(principal, id);
  }

  @Allow(...ANY_ROLE)
  @Get(':id/payment-rules')
  getPaymentRules(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<PaymentRulesDto> {
    return this.contracts.getPaymentRules(principal, id);
  }

  /** Replaces the contract's payment rule set (docs/rule-sets.md), validated against its current indicators, groupings, fees and periods (422 RULE_SET_* with field paths). */
  @Allow(...STRUCTURE_EDITORS)
  @Put(':id/payment-rules')
  putPaymentRules(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: PutPaymentRulesDto): Promise<PaymentRulesDto> {
    return this.contracts.putPaymentRules(principal, id, dto);
  }
}
