import { Module } from '@nestjs/common';
import { ApiKeysController } from 'src/users/api-keys.controller';
import { ApiKeysService } from 'src/users/api-keys.service';
import { ContractGrantsController } from 'src/users/contract-grants.controller';
import { ContractGrantsService } from 'src/users/contract-grants.service';
import { MeController, UsersController } from 'src/users/users.controller';
import { UsersService } from 'src/users/users.service';

/** Users with roles in an organisation, their API keys, and contract grants for outside organisations. */
@Module({
  controllers: [UsersController, MeController, ApiKeysController, ContractGrantsController],
  providers: [UsersService, ApiKeysService, ContractGrantsService],
  exports: [UsersService, ApiKeysService, ContractGrantsService],
})
export class UsersModule {}
