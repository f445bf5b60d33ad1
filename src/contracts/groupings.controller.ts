import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import {
  CreateGroupingDto,
  FeeDto,
  FeePageDto,
  GroupingDto,
  GroupingPageDto,
  PutFeeDto,
  ReplaceMembersDto,
  UpdateGroupingDto,
} from 'src/contracts/dto/grouping.dto';
import { FeesService } from 'src/contracts/fees.service';
import { GroupingsService } from 'src/contracts/groupings.service';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('provider groupings')
@Controller()
export class GroupingsController {
  constructor(
    private readonly groupings: GroupingsService,
    private readonly fees: FeesService,
  ) {}

  /** Adds a grouping with its members; refused (422 GROUPING_PERIOD_CLOSED) while a period of the contract is closed. */
  @Allow(...STRUCTURE_EDITORS)
  @Post('contracts/:contractId/groupings')
  create(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Body() dto: CreateGroupingDto): Promise<GroupingDto> {
    return this.groupings.create(principal, contractId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/groupings')
  list(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Query() query: PageQueryDto): Promise<GroupingPageDto> {
    return this.groupings.list(principal, contractId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('groupings/:id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<GroupingDto> {
    return this.groupings.get(principal, id);
  }

  /** Changes the name and areas. */
  @Allow(...STRUCTURE_EDITORS)
  @Patch('groupings/:id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateGroupingDto): Promise<GroupingDto> {
    return this.groupings.update(principal, id, dto);
  }

  /** Removes the grouping with its members and fees; refused (422 GROUPING_PERIOD_CLOSED) while a period of the contract is closed. */
  @Allow(...STRUCTURE_EDITORS)
  @Delete('groupings/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<void> {
    return this.groupings.remove(principal, id);
  }

  /** Replaces the whole member list, validated as a set; refused (422 GROUPING_PERIOD_CLOSED) while a period of the contract is closed. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('groupings/:id/members')
  replaceMembers(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: ReplaceMembersDto): Promise<GroupingDto> {
    return this.groupings.replaceMembers(principal, id, dto.members);
  }

  /** Every grouping x period of the contract with its fee (`null` where none is set). */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/fees')
  listFees(@CurrentPrincipal() principal: Principal, @IdParam('contractId') contractId: string, @Query() query: PageQueryDto): Promise<FeePageDto> {
    return this.fees.list(principal, contractId, query);
  }

  /** Sets or replaces the grouping's fee for the period; refused (422 FEE_PERIOD_CLOSED) while the period is closed. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('groupings/:id/fees/:periodId')
  putFee(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @IdParam('periodId') periodId: string, @Body() dto: PutFeeDto): Promise<FeeDto> {
    return this.fees.put(principal, id, periodId, dto);
  }

  /** Removes the grouping's fee for the period; refused (422 FEE_PERIOD_CLOSED) while the period is closed. */
  @Allow(...STRUCTURE_EDITORS)
  @Delete('groupings/:id/fees/:periodId')
  @HttpCode(204)
  removeFee(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @IdParam('periodId') periodId: string): Promise<void> {
    return this.fees.remove(principal, id, periodId);
  }
}
