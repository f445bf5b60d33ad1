import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import {
  ApproveIndicatorSetVersionDto,
  BindingIndicatorSetDto,
  CreateIndicatorSetVersionDto,
  IndicatorSetVersionDto,
  IndicatorSetVersionPageDto,
  VersionRuleSetTestRunDto,
} from 'src/co-definition/dto/indicator-set-version.dto';
import { IndicatorSetVersionsService } from 'src/co-definition/indicator-set-versions.service';

@ApiTags('co-definition')
@Controller()
export class IndicatorSetVersionsController {
  constructor(private readonly versions: IndicatorSetVersionsService) {}

  /** Freezes the contract's current indicators and payment rules into the next version (a draft to approve). */
  @Allow(...STRUCTURE_EDITORS)
  @Post('contracts/:contractId/indicator-set-versions')
  create(
    @CurrentPrincipal() principal: Principal,
    @IdParam('contractId') contractId: string,
    @Body() dto: CreateIndicatorSetVersionDto,
  ): Promise<IndicatorSetVersionDto> {
    return this.versions.create(principal, contractId, dto);
  }

  /** Every version of the contract, oldest first, with its approvals (without the content). */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/indicator-set-versions')
  list(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Query() query: PageQueryDto): Promise<IndicatorSetVersionPageDto> {
    return this.versions.list(principal, contractId, query);
  }

  /** One version with its frozen content and content hash. */
  @Allow(...ANY_ROLE)
  @Get('indicator-set-versions/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<IndicatorSetVersionDto> {
    return this.versions.get(principal, id);
  }

  /** Runs the version's frozen payment-rule test cases as its approval will (nothing is stored). */
  @Allow(...ANY_ROLE)
  @HttpCode(200)
  @Post('indicator-set-versions/:id/test-runs')
  testRuns(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<VersionRuleSetTestRunDto> {
    return this.versions.testRuns(principal, id);
  }

  /** The municipality's approver or a grouping's lead approves the exact content it names by hash. */
  @Allow('approver', 'grouping_lead')
  @Post('indicator-set-versions/:id/approvals')
  approve(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: ApproveIndicatorSetVersionDto): Promise<IndicatorSetVersionDto> {
    return this.versions.approve(principal, id, dto);
  }

  /** The binding version in force for a period of the contract. */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/periods/:periodId/indicator-set')
  inForce(
    @CurrentPrincipal() principal: Principal,
    @IdParam('contractId') contractId: string,
    @IdParam('periodId') periodId: string,
  ): Promise<BindingIndicatorSetDto> {
    return this.versions.inForce(principal, contractId, periodId);
  }
}
