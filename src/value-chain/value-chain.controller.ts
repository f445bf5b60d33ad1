import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from 'src/common/validation/id-param';
import { BudgetDto, ValueChainGraphDto, ValueChainTreeDto } from 'src/value-chain/dto/value-chain-view.dto';
import { ValueChainViewsService } from 'src/value-chain/value-chain-views.service';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';

@ApiTags('value chain')
@Controller('projects/:projectId')
export class ValueChainController {
  constructor(private readonly views: ValueChainViewsService) {}

  @Allow(...ANY_ROLE)
  @Get('value-chain')
  graph(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string): Promise<ValueChainGraphDto> {
    return this.views.graph(principal, projectId);
  }

  @Allow(...ANY_ROLE)
  @Get('value-chain/tree')
  tree(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string): Promise<ValueChainTreeDto> {
    return this.views.tree(principal, projectId);
  }

  @Allow(...ANY_ROLE)
  @Get('budget')
  budget(@CurrentPrincipal() principal: Principal, @IdParam('projectId') projectId: string): Promise<BudgetDto> {
    return this.views.budget(principal, projectId);
  }
}
