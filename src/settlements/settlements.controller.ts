import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import { SettlementListQueryDto, SettlementRunContractsQueryDto } from 'src/settlements/dto/settlement-query.dto';
import {
  ApproveSettlementDto,
  ComputeSettlementsResultDto,
  CreateEvaluationRecordDto,
  EvaluationRecordDto,
  EvaluationRecordListDto,
  ReopenSettlementDto,
  SettlementDto,
  SettlementListDto,
  SettlementRunContractPageDto,
  SettlementRunDto,
  SettlementRunPageDto,
  SettlementVerificationDto,
  SimulateDto,
  SimulationDto,
  StartSettlementRunDto,
} from 'src/settlements/dto/settlement.dto';
import { RuleSetTestRunDto } from 'src/settlements/dto/rule-set-tests.dto';
import { EvaluationRecordsService } from 'src/settlements/evaluation-records.service';
import { RuleSetTestsService } from 'src/settlements/rule-set-tests.service';
import { SettlementRunsService } from 'src/settlements/settlement-runs.service';
import { SettlementSimulationsService } from 'src/settlements/settlement-simulations.service';
import { SettlementDraftsService } from 'src/settlements/settlement-drafts.service';
import { SettlementsService } from 'src/settlements/settlements.service';

@ApiTags('settlements')
@Controller()
export class SettlementsController {
  constructor(
    private readonly settlements: SettlementsService,
    private readonly drafts: SettlementDraftsService,
    private readonly simulations: SettlementSimulationsService,
    private readonly runs: SettlementRunsService,
    private readonly evaluations: EvaluationRecordsService,
    private readonly ruleSetTests: RuleSetTestsService,
  ) {}

  /** Runs the test cases of the contract's current rule set against its current indicators (what approval will check). */
  @Allow(...ANY_ROLE)
  @HttpCode(200)
  @Post('contracts/:contractId/payment-rules/test-runs')
  testRules(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string): Promise<RuleSetTestRunDto> {
    return this.ruleSetTests.run(principal, contractId);
  }

  /** Computes draft settlements of every grouping of the period (approved ones are left alone). */
  @Allow(...STRUCTURE_EDITORS)
  @Post('contracts/:contractId/periods/:periodId/settlements')
  compute(
    @CurrentPrincipal() principal: Principal,
    @IdParam('contractId') contractId: string,
    @IdParam('periodId') periodId: string,
  ): Promise<ComputeSettlementsResultDto> {
    return this.drafts.compute(principal, contractId, periodId);
  }

  /** Every settlement version of the contract the caller may see (ETS staff: their groupings only), by period, grouping and version, paged. */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/settlements')
  list(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Query() query: SettlementListQueryDto): Promise<SettlementListDto> {
    return this.settlements.list(principal, contractId, query);
  }

  /** One settlement version with its document. */
  @Allow(...ANY_ROLE)
  @Get('settlements/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<SettlementDto> {
    return this.settlements.get(principal, id);
  }

  /** An approver other than the person who computed it approves the draft it names by documentHash. */
  @Allow('approver')
  @HttpCode(200)
  @Post('settlements/:id/approve')
  approve(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: ApproveSettlementDto): Promise<SettlementDto> {
    return this.settlements.approve(principal, id, dto);
  }

  /** An approver reopens an approved settlement with a reason: a new draft version with the delta. */
  @Allow('approver')
  @Post('settlements/:id/reopen')
  reopen(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: ReopenSettlementDto): Promise<SettlementDto> {
    return this.settlements.reopen(principal, id, dto);
  }

  /** Recomputes the settlement from its stored inputs and compares every hash. */
  @Allow(...ANY_ROLE)
  @Get('settlements/:id/verify')
  verify(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<SettlementVerificationDto> {
    return this.settlements.verify(principal, id);
  }

  /** What-if: a draft rule set and/or hypothetical measurements, evaluated like a settlement; nothing is stored. */
  @Allow('contract_manager', 'approver')
  @HttpCode(200)
  @Post('contracts/:contractId/simulations')
  simulate(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Body() dto: SimulateDto): Promise<SimulationDto> {
    return this.simulations.simulate(principal, contractId, dto);
  }

  /**
   * Starts settling every contract of the municipality that has the period, one transaction per contract, in
   * the background: 202 with the run (RUNNING) and its Location; follow it there until DONE, FAILED or INTERRUPTED.
   */
  @Allow('contract_manager')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: SettlementRunDto, headers: { Location: { description: 'The run to follow: /api/v1/settlement-runs/{id}', schema: { type: 'string' } } } })
  @Post('municipalities/:municipalityId/settlement-runs')
  async startRun(
    @CurrentPrincipal() principal: Principal,
    @IdParam('municipalityId') municipalityId: string,
    @Body() dto: StartSettlementRunDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SettlementRunDto> {
    const run = await this.runs.start(principal, municipalityId, dto.periodCode);
    void reply.header('Location', `/api/v1/settlement-runs/${run.id}`);
    return run;
  }

  /** A portfolio run with its counts and the result of every contract settled so far (municipal staff of its municipality). */
  @Allow(...ANY_ROLE)
  @Get('settlement-runs/:id')
  getRun(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<SettlementRunDto> {
    return this.runs.get(principal, id);
  }

  /** A portfolio run's per-contract results in the order they were settled, paged, optionally of one status (as the run: municipal staff of its municipality). */
  @Allow(...ANY_ROLE)
  @Get('settlement-runs/:id/contracts')
  listRunContracts(
    @CurrentPrincipal() principal: Principal,
    @IdParam() id: string,
    @Query() query: SettlementRunContractsQueryDto,
  ): Promise<SettlementRunContractPageDto> {
    return this.runs.contracts(principal, id, query);
  }

  /** The municipality's portfolio runs, newest first, without their per-contract results. */
  @Allow(...ANY_ROLE)
  @Get('municipalities/:municipalityId/settlement-runs')
  listRuns(@CurrentPrincipal() principal: Principal, @IdParam('municipalityId') municipalityId: string, @Query() query: PageQueryDto): Promise<SettlementRunPageDto> {
    return this.runs.list(principal, municipalityId, query);
  }

  /** An evaluator granted on the contract records whether the impact was significant and the savings certified. */
  @Allow('evaluator')
  @Post('contracts/:contractId/periods/:periodId/evaluation-records')
  createEvaluation(
    @CurrentPrincipal() principal: Principal,
    @IdParam('contractId') contractId: string,
    @IdParam('periodId') periodId: string,
    @Body() dto: CreateEvaluationRecordDto,
  ): Promise<EvaluationRecordDto> {
    return this.evaluations.create(principal, contractId, periodId, dto);
  }

  /** The evaluation records of a period (ETS staff: their groupings only). */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/periods/:periodId/evaluation-records')
  listEvaluations(
    @CurrentPrincipal() principal: Principal,
    @IdParam('contractId') contractId: string,
    @IdParam('periodId') periodId: string,
  ): Promise<EvaluationRecordListDto> {
    return this.evaluations.list(principal, contractId, periodId);
  }
}
