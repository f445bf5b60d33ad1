import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { IdParam } from 'src/common/validation/id-param';
import { attachmentDisposition } from 'src/common/files/attachment';
import { OpenDataQueryDto } from 'src/open-data/dto/open-data.dto';
import { OpenDataFile, OpenDataService } from 'src/open-data/open-data.service';

const file = (f: OpenDataFile): StreamableFile => new StreamableFile(Buffer.from(f.text, 'utf8'), { type: f.contentType, disposition: attachmentDisposition(f.fileName) });

@ApiTags('open-data')
@Controller()
export class OpenDataController {
  constructor(private readonly openData: OpenDataService) {}

  /** The project as an IATI 2.03 activity (iati-activities XML) with outcome results per period; readers of the project. */
  @Allow(...ANY_ROLE)
  @ApiProduces('application/xml')
  @Get('projects/:id/iati')
  async iati(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Query() query: OpenDataQueryDto): Promise<StreamableFile> {
    return file(await this.openData.iati(p, id, query));
  }

  /** The contract as an OCDS 1.1.5 release package with the metrics extension and approved settlements; readers of the contract. */
  @Allow(...ANY_ROLE)
  @ApiProduces('application/json')
  @Get('contracts/:id/ocds')
  async ocds(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Query() query: OpenDataQueryDto): Promise<StreamableFile> {
    return file(await this.openData.ocds(p, id, query));
  }
}
