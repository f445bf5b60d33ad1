import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { EvidenceController } from 'src/measurements/evidence.controller';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EVIDENCE_DIR } from 'src/measurements/evidence-directory';
import { EVIDENCE_TYPES, MAX_EVIDENCE_BYTES } from 'src/measurements/evidence.service';
import { EvidenceService } from 'src/measurements/evidence.service';
import { IdempotencyStore } from 'src/measurements/idempotency';
import { MeasurementAccess } from 'src/measurements/measurement.access';
import { MeasurementSubmissionsService } from 'src/measurements/measurement-submissions.service';
import { MeasurementsController } from 'src/measurements/measurements.controller';
import { MeasurementsService } from 'src/measurements/measurements.service';
import { PeriodClosuresController } from 'src/measurements/period-closures.controller';
import { PeriodClosuresService } from 'src/measurements/period-closures.service';
import { contentTypeCheckHook } from 'src/measurements/raw-body';

// One byte over the evidence limit reaches the service, which answers MEASUREMENT_EVIDENCE_TOO_LARGE;
// anything larger is cut off by Fastify with the global 413 PAYLOAD_TOO_LARGE.
const RAW_BODY_LIMIT = MAX_EVIDENCE_BYTES + 1;

@Module({
  controllers: [MeasurementsController, EvidenceController, PeriodClosuresController],
  providers: [
    MeasurementAccess,
    IdempotencyStore,
    MeasurementSubmissionsService,
    MeasurementsService,
    PeriodClosuresService,
    EvidenceService,
    { provide: EVIDENCE_DIR, inject: [APP_CONFIG], useFactory: (config: AppConfig) => config.evidenceDir },
  ],
})
export class MeasurementsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * The app parses JSON only. CSV uploads and evidence files arrive as raw bodies: register buffer parsers
   * for exactly those types on the Fastify instance (absent when booted without HTTP, e.g. the CLI), and
   * let those two routes refuse any other type with their own 415 before Fastify looks for a parser
   * (src/measurements/raw-body.ts says why this way).
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function') return;
    for (const type of EVIDENCE_TYPES) {
      if (!fastify.hasContentTypeParser(type)) {
        fastify.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: RAW_BODY_LIMIT }, (_req, body, done) => done(null, body));
      }
    }
    fastify.addHook('preParsing', contentTypeCheckHook(EVIDENCE_TYPES));
  }
}
