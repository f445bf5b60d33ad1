import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { IdParam } from 'src/common/validation/id-param';
import { PatchBody } from 'src/common/validation/patch-body';
import { CreateUserDto, ListUsersQueryDto, MeDto, UpdateUserDto, UserDto, UserPageDto } from 'src/users/dto/user.dto';
import { UsersService } from 'src/users/users.service';

// Only administrators manage users: platform administrators everyone, an organisation's admin its own
// organisation's users (others are 404).
@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Allow('admin')
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(principal, dto);
  }

  @Allow('admin')
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListUsersQueryDto): Promise<UserPageDto> {
    return this.users.list(principal, query);
  }

  @Allow('admin')
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<UserDto> {
    return this.users.get(principal, id);
  }

  @Allow('admin')
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @PatchBody() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(principal, id, dto);
  }
}

@ApiTags('users')
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Allow(...ANY_ROLE)
  @Get()
  me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.users.me(principal);
  }
}
