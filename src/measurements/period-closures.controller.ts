import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { IdParam } from 'src/common/validation/id-param';
import { PeriodClosureStatusDto, ReopenPeriodDto } from 'src/measurements/dto/period-closure.dto';
import { PeriodClosuresService } from 'src/measurements/period-closures.service';

@ApiTags('contract periods')
@Controller('contract-periods')
export class PeriodClosuresController {
  constructor(private readonly closures: PeriodClosuresService) {}

  /** Whether the period is closed, with its closing and reopening history. */
  @Allow(...ANY_ROLE)
  @Get(':id/closure')
  status(@CurrentPrincipal() p: Principal, @IdParam() id: string): Promise<PeriodClosureStatusDto> {
    return this.closures.status(p, id);
  }

  /** Closes the period: no submission, correction or review until an approver reopens it. */
  @Allow('contract_manager', 'approver')
  @Post(':id/close')
  @HttpCode(200)
  close(@CurrentPrincipal() p: Principal, @IdParam() id: string): Promise<PeriodClosureStatusDto> {
    return this.closures.close(p, id);
  }

  /** Reopens a closed period, with a reason (approver only). */
  @Allow('approver')
  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Body() dto: ReopenPeriodDto): Promise<PeriodClosureStatusDto> {
    return this.closures.reopen(p, id, dto);
  }
}
