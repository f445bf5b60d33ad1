import { Controller, Get } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from 'src/auth/auth.decorators';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  /** Liveness plus a round trip to the database; 503 when the database does not answer. */
  @Get()
  // Replaces the 503 that @HealthCheck documents (Terminus' own result): HttpErrorFilter answers it, like
  // every error, with the common body (docs/decisions/0002-error-model.md).
  @ApiServiceUnavailableResponse({
    description: 'Answered with the common error body (code INTERNAL_ERROR, no driver message).',
    schema: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: { code: { type: 'string', enum: ['INTERNAL_ERROR'] }, message: { type: 'string' }, details: { type: 'object' } },
      additionalProperties: false,
    },
  })
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
  }
}
