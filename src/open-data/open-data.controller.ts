import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { IdParam } from 'src/common/validation/id-param';
import { attachmentDisposition } from 'src/common/files/attachment';
import { OpenDataQueryDto } from 'src/open-data/dto/open-data.dto';
import { OCDS_VERSION } from 'src/open-data/ocds.builder';
import { OpenDataFile, OpenDataService } from 'src/open-data/open-data.service';

const file = (f: OpenDataFile): StreamableFile => new StreamableFile(Buffer.from(f.text, 'utf8'), { type: f.contentType, disposition: attachmentDisposition(f.fileName) });

@ApiTags('open-data')
@Controller()
export class OpenDataController {
  constructor(private readonly openData: OpenDataService) {}

  /** The project as an IATI 2.03 activity (iati-activities XML) with outcome results per period; readers of the project. */
  @Allow(...ANY_ROLE)
  @ApiOkResponse({ description: 'An IATI 2.03 iati-activities document, as an attachment.', content: { 'application/xml': { schema: { type: 'string' } } } })
  @Get('projects/:id/iati')
  async iati(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Query() query: OpenDataQueryDto): Promise<StreamableFile> {
    return file(await this.openData.iati(p, id, query));
  }

  /** The contract as an OCDS 1.1.5 release package with the metrics extension and approved settlements; readers of the contract. */
  @Allow(...ANY_ROLE)
  // The package follows the OCDS schema (https://standard.open-contracting.org/1.1/en/schema/release_package/),
  // which the tests check it against; here only its frame, not a copy of the standard.
  @ApiOkResponse({
    description: 'An OCDS 1.1 release package with the metrics extension, as an attachment.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['uri', 'version', 'publishedDate', 'publisher', 'releases'],
          properties: {
            uri: { type: 'string' },
            version: { type: 'string', enum: [OCDS_VERSION] },
            extensions: { type: 'array', items: { type: 'string' } },
            publishedDate: { type: 'string', format: 'date-time' },
            publisher: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, scheme: { type: 'string' }, uid: { type: 'string' } } },
            releases: { type: 'array', items: { type: 'object' }, minItems: 1 },
          },
        },
      },
    },
  })
  @Get('contracts/:id/ocds')
  async ocds(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Query() query: OpenDataQueryDto): Promise<StreamableFile> {
    return file(await this.openData.ocds(p, id, query));
  }
}
