import { Body, Controller, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import {
  CreateProposalDto,
  IndicatorSourcesDto,
  ListProposalsQueryDto,
  ProposalDto,
  ProposalPageDto,
  ReplaceIndicatorSourcesDto,
  UpdateProposalDto,
} from 'src/co-definition/dto/proposal.dto';
import { ProposalsService } from 'src/co-definition/proposals.service';

const PROPOSERS = ['ets_member', 'grouping_lead', 'evaluator'] as const;

@ApiTags('co-definition')
@Controller()
export class ProposalsController {
  constructor(private readonly proposals: ProposalsService) {}

  /** An ETS of the contract (or a granted evaluator) starts a proposal sheet (scheda), as a draft. */
  @Allow(...PROPOSERS)
  @Post('contracts/:contractId/proposals')
  create(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Body() dto: CreateProposalDto): Promise<ProposalDto> {
    return this.proposals.create(principal, contractId, dto);
  }

  /** All proposals for municipal staff and granted evaluators; an ETS sees only its own organisation's. */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/proposals')
  list(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Query() query: ListProposalsQueryDto): Promise<ProposalPageDto> {
    return this.proposals.list(principal, contractId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('proposals/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ProposalDto> {
    return this.proposals.get(principal, id);
  }

  /** Only the proposing organisation, while the proposal is a draft. */
  @Allow(...PROPOSERS)
  @Patch('proposals/:id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateProposalDto): Promise<ProposalDto> {
    return this.proposals.update(principal, id, dto);
  }

  /** Submits the draft: all four questions answered, at least one dimension and one metric. */
  @Allow(...PROPOSERS)
  @Post('proposals/:id/submit')
  @HttpCode(200)
  submit(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ProposalDto> {
    return this.proposals.submit(principal, id);
  }

  /** The proposals an indicator was consolidated from (those the caller may see). */
  @Allow(...ANY_ROLE)
  @Get('indicators/:id/sources')
  sources(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<IndicatorSourcesDto> {
    return this.proposals.sources(principal, id);
  }

  /** The contract manager records which submitted proposals an indicator consolidates. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('indicators/:id/sources')
  replaceSources(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: ReplaceIndicatorSourcesDto): Promise<IndicatorSourcesDto> {
    return this.proposals.replaceSources(principal, id, dto);
  }
}
