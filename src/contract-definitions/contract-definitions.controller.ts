import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from 'src/common/validation/id-param';
import { ContractDefinitionsService } from 'src/contract-definitions/contract-definitions.service';
import { ContractDefinition } from 'src/contract-definitions/contract-definition.types';
import {
  CONTRACT_DEFINITION_API_SCHEMA,
  ImportedContractDefinitionDto,
} from 'src/contract-definitions/dto/contract-definition.dto';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE, STRUCTURE_EDITORS } from 'src/auth/roles';

// The body is a whole document checked against contracts/schema/contract-definition.schema.json by the
// service (Ajv), not by a DTO class: `unknown` keeps the global ValidationPipe out of it.
@ApiTags('contract-definitions')
@Controller()
export class ContractDefinitionsController {
  constructor(private readonly definitions: ContractDefinitionsService) {}

  @Allow(...STRUCTURE_EDITORS)
  @Post('contract-definitions')
  @ApiOperation({
    summary: 'Import a whole contract from one definition document, atomically',
    description:
      '400 CONTRACT_DEFINITION_SCHEMA_INVALID with details.fields; 422 for unknown references and broken domain rules; ' +
      '409 when the project or contract code exists or an organisation code names a different organisation.',
  })
  @ApiBody({ schema: CONTRACT_DEFINITION_API_SCHEMA })
  import(@CurrentPrincipal() principal: Principal, @Body() document: unknown): Promise<ImportedContractDefinitionDto> {
    return this.definitions.importDocument(principal, document);
  }

  @Allow(...ANY_ROLE)
  @Get('contracts/:id/definition')
  @ApiOperation({ summary: "The contract's definition document, rebuilt from the stored data" })
  @ApiOkResponse({ schema: CONTRACT_DEFINITION_API_SCHEMA })
  export(@CurrentPrincipal() principal: Principal, @IdParam() id: string): Promise<ContractDefinition> {
    return this.definitions.exportById(principal, id);
  }
}
