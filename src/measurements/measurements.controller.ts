import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { CommonError } from 'src/common/errors/common.errors';
import { IdParam } from 'src/common/validation/id-param';
import {
  CorrectMeasurementDto,
  CreateMeasurementBatchDto,
  CreateMeasurementDto,
  CsvUploadQueryDto,
  ExpectedVersionDto,
  ListMeasurementsQueryDto,
  MeasurementDto,
  MeasurementListDto,
  MeasurementPageDto,
  MeasurementVersionListDto,
  ReturnMeasurementDto,
} from 'src/measurements/dto/measurement.dto';
import { IdempotentResult } from 'src/measurements/idempotency';
import { ETS_ROLES } from 'src/measurements/measurement.access';
import { MeasurementSubmissionsService } from 'src/measurements/measurement-submissions.service';
import { MeasurementsService } from 'src/measurements/measurements.service';
import { CheckContentTypeFirst, mediaTypeOf } from 'src/measurements/raw-body';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key and body returns the first answer; the same key with another body is a 409.',
};

/** Replays carry `Idempotent-Replayed: true` and the first answer's status. */
function answer<T>(reply: FastifyReply, result: IdempotentResult<T>): T {
  void reply.status(result.status);
  if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
  return result.body;
}

/** A CSV import is text/csv (any parameters), or 415 UNSUPPORTED_MEDIA_TYPE naming what was sent. */
function requireCsv(contentTypeHeader: string | undefined): void {
  const contentType = mediaTypeOf(contentTypeHeader);
  if (contentType !== 'text/csv') throw csvOnly(contentType);
}

function csvOnly(contentType: string | null): InstanceType<typeof CommonError> {
  return new CommonError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as text/csv', { contentType, allowed: ['text/csv'] });
}

@ApiTags('measurements')
@Controller()
export class MeasurementsController {
  constructor(
    private readonly submissions: MeasurementSubmissionsService,
    private readonly measurements: MeasurementsService,
  ) {}

  /** Submits (or, with `submit: false`, saves as a draft) one measurement of the caller's organisation. */
  @Allow(...ETS_ROLES)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Post('contracts/:contractId/measurements')
  async create(
    @CurrentPrincipal() p: Principal,
    @IdParam('contractId') contractId: string,
    @Body() dto: CreateMeasurementDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeasurementDto> {
    return answer(reply, await this.submissions.create(p, contractId, dto, key));
  }

  /** Several measurements, all or nothing; problems are reported per item (`items[3].value`). */
  @Allow(...ETS_ROLES)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Post('contracts/:contractId/measurements/batch')
  async createBatch(
    @CurrentPrincipal() p: Principal,
    @IdParam('contractId') contractId: string,
    @Body() dto: CreateMeasurementBatchDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeasurementListDto> {
    return answer(reply, await this.submissions.createBatch(p, contractId, dto, key));
  }

  /** A CSV file (text/csv, UTF-8, comma or semicolon; see README), all or nothing, every rejected row reported with its line. */
  @Allow(...ETS_ROLES)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @CheckContentTypeFirst(requireCsv)
  @Post('contracts/:contractId/measurements/csv')
  async uploadCsv(
    @CurrentPrincipal() p: Principal,
    @IdParam('contractId') contractId: string,
    @Query() query: CsvUploadQueryDto,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeasurementListDto> {
    requireCsv(contentType);
    if (!Buffer.isBuffer(body)) throw csvOnly(mediaTypeOf(contentType));
    return answer(reply, await this.submissions.uploadCsv(p, contractId, body, query.submit !== 'false', key));
  }

  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/measurements')
  list(@CurrentPrincipal() p: Principal, @IdParam('contractId') contractId: string, @Query() query: ListMeasurementsQueryDto): Promise<MeasurementPageDto> {
    return this.measurements.list(p, contractId, query);
  }

  /** What settlement counts: the measurements of a period with an accepted version, each at it (also while a correction is pending). */
  @Allow(...ANY_ROLE)
  @Get('contracts/:contractId/periods/:periodId/accepted-measurements')
  accepted(@CurrentPrincipal() p: Principal, @IdParam('contractId') contractId: string, @IdParam('periodId') periodId: string): Promise<MeasurementListDto> {
    return this.measurements.accepted(p, contractId, periodId);
  }

  @Allow(...ANY_ROLE)
  @Get('measurements/:id')
  get(@CurrentPrincipal() p: Principal, @IdParam() id: string): Promise<MeasurementDto> {
    return this.measurements.get(p, id);
  }

  /** Every version, oldest first, with the review each received. */
  @Allow(...ANY_ROLE)
  @Get('measurements/:id/versions')
  versions(@CurrentPrincipal() p: Principal, @IdParam() id: string): Promise<MeasurementVersionListDto> {
    return this.measurements.versions(p, id);
  }

  /** A correction: a new version, submitted unless `submit: false`; of an ACCEPTED one, its accepted version counts until the correction is accepted. */
  @Allow(...ETS_ROLES)
  @Post('measurements/:id/versions')
  correct(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Body() dto: CorrectMeasurementDto): Promise<MeasurementDto> {
    return this.measurements.correct(p, id, dto);
  }

  /** Submits a DRAFT for review. */
  @Allow(...ETS_ROLES)
  @Post('measurements/:id/submit')
  @HttpCode(200)
  submit(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Body() dto: ExpectedVersionDto): Promise<MeasurementDto> {
    return this.measurements.submit(p, id, dto);
  }

  @Allow('contract_manager')
  @Post('measurements/:id/accept')
  @HttpCode(200)
  accept(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Body() dto: ExpectedVersionDto): Promise<MeasurementDto> {
    return this.measurements.accept(p, id, dto);
  }

  /** Returns a SUBMITTED measurement to the ETS with a reason; the ETS corrects it. */
  @Allow('contract_manager')
  @Post('measurements/:id/return')
  @HttpCode(200)
  returnMeasurement(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Body() dto: ReturnMeasurementDto): Promise<MeasurementDto> {
    return this.measurements.returnMeasurement(p, id, dto);
  }
}
