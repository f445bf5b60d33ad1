import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import { ApiKeyDto, ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto } from 'src/users/dto/api-key.dto';
import { ApiKeysService } from 'src/users/api-keys.service';

// Everyone manages their own keys; administrators those of the users they administer.
@ApiTags('users')
@Controller()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Allow(...ANY_ROLE)
  @Post('users/:id/api-keys')
  create(@CurrentPrincipal() principal: Principal, @IdParam() userId: string, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(principal, userId, dto);
  }

  @Allow(...ANY_ROLE)
  @Get('users/:id/api-keys')
  list(@CurrentPrincipal() principal: Principal, @IdParam() userId: string, @Query() query: PageQueryDto): Promise<ApiKeyPageDto> {
    return this.keys.list(principal, userId, query);
  }

  @Allow(...ANY_ROLE)
  @Delete('api-keys/:id')
  revoke(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ApiKeyDto> {
    return this.keys.revoke(principal, id);
  }
}
