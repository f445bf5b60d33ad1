import { Body, Controller, Delete, Get, Headers, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { IdParam } from 'src/common/validation/id-param';
import { EvidenceDto, EvidenceListDto } from 'src/measurements/dto/evidence.dto';
import { attachmentDisposition } from 'src/common/files/attachment';
import { EVIDENCE_TYPES, EvidenceService, requireEvidenceType } from 'src/measurements/evidence.service';
import { ETS_ROLES } from 'src/measurements/measurement.access';
import { CheckContentTypeFirst } from 'src/measurements/raw-body';

@ApiTags('measurements')
@Controller()
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  /** The raw file as the body (at most 10 MiB), its type as Content-Type, its name in X-Filename (percent-encoded UTF-8 allowed). */
  @Allow(...ETS_ROLES)
  @ApiConsumes(...EVIDENCE_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'X-Filename', required: false, description: 'The original file name' })
  @CheckContentTypeFirst(requireEvidenceType)
  @Post('measurements/:id/evidence')
  add(
    @CurrentPrincipal() p: Principal,
    @IdParam() id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-filename') filename: string | undefined,
  ): Promise<EvidenceDto> {
    return this.evidence.add(p, id, body, contentType, filename);
  }

  @Allow(...ANY_ROLE)
  @Get('measurements/:id/evidence')
  list(@CurrentPrincipal() p: Principal, @IdParam() id: string): Promise<EvidenceListDto> {
    return this.evidence.list(p, id);
  }

  /** Streams the file back as an attachment, to callers who may read its measurement. */
  @Allow(...ANY_ROLE)
  @ApiOkResponse({
    description: 'The file as it was uploaded, with its own type, as an attachment.',
    content: Object.fromEntries(EVIDENCE_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  })
  @Get('evidence/:id')
  async download(@CurrentPrincipal() p: Principal, @IdParam() id: string): Promise<StreamableFile> {
    const { evidence, stream } = await this.evidence.open(p, id);
    return new StreamableFile(stream, { type: evidence.contentType, length: evidence.sizeBytes, disposition: attachmentDisposition(evidence.originalName) });
  }

  /** Removes a file added by mistake: its submitting organisation's staff, while the measurement is DRAFT or RETURNED (never a file of its accepted version) and its period open. */
  @Allow(...ETS_ROLES)
  @Delete('evidence/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() p: Principal, @IdParam() id: string): Promise<void> {
    return this.evidence.remove(p, id);
  }
}
