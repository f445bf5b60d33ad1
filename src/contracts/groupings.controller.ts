import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
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
import { Allow } from 'src/auth/auth.decorators';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

@ApiTags('provider groupings')
@Controller()
export class GroupingsController {
  constructor(
    private readonly groupings: GroupingsService,
    private readonly fees: FeesService,
  ) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post('contracts/:contractId/groupings')
  create(@IdParam('contractId') contractId: string, @Body() dto: CreateGroupingDto): Promise<GroupingDto> {
    return this.groupings.create(contractId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/groupings')
  list(@IdParam('contractId') contractId: string, @Query() query: PageQueryDto): Promise<GroupingPageDto> {
    return this.groupings.list(contractId, query);
  }

  @Allow(...ANY_ROLE)
  @Get('groupings/:id')
  get(@IdParam() id: string): Promise<GroupingDto> {
    return this.groupings.get(id);
  }

  /** Changes the name and areas. */
  @Allow(...STRUCTURE_EDITORS)
  @Patch('groupings/:id')
  update(@IdParam() id: string, @Body() dto: UpdateGroupingDto): Promise<GroupingDto> {
    return this.groupings.update(id, dto);
  }

  /** Removes the grouping with its members and fees. */
  @Allow(...STRUCTURE_EDITORS)
  @Delete('groupings/:id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.groupings.remove(id);
  }

  /** Replaces the whole member list, validated as a set. */
  @Allow(...STRUCTURE_EDITORS)
  @Put('groupings/:id/members')
  replaceMembers(@IdParam() id: string, @Body() dto: ReplaceMembersDto): Promise<GroupingDto> {
    return this.groupings.replaceMembers(id, dto.members);
  }

  /** Every grouping x period of the contract with its fee (`null` where none is set). */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/fees')
  listFees(@IdParam('contractId') contractId: string, @Query() query: PageQueryDto): Promise<FeePageDto> {
    return this.fees.list(contractId, query);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Put('groupings/:id/fees/:periodId')
  putFee(@IdParam() id: string, @IdParam('periodId') periodId: string, @Body() dto: PutFeeDto): Promise<FeeDto> {
    return this.fees.put(id, periodId, dto);
  }

  @Allow(...STRUCTURE_EDITORS)
  @Delete('groupings/:id/fees/:periodId')
  @HttpCode(204)
  removeFee(@IdParam() id: string, @IdParam('periodId') periodId: string): Promise<void> {
    return this.fees.remove(id, periodId);
  }
}
