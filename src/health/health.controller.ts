import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from 'src/auth/auth.decorators';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { CommonError } from 'src/common/errors/common.errors';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  /** Liveness plus a round trip to the database; 503 SERVICE_UNAVAILABLE naming the failing checks otherwise. */
  @Get()
  // Replaces the 503 that @HealthCheck documents (Terminus' own result): like every error, it is the common
  // body (docs/decisions/0002-error-model.md), naming the checks that failed but never the driver's message.
  @ApiServiceUnavailableResponse({
    description: 'A check failed: code SERVICE_UNAVAILABLE, `details.failing` names the checks (e.g. `["database"]`).',
    schema: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', enum: ['SERVICE_UNAVAILABLE'] },
        message: { type: 'string' },
        details: {
          type: 'object',
          required: ['failing'],
          properties: { failing: { type: 'array', items: { type: 'string', enum: ['database'] } } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  })
  @HealthCheck()
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const failing = Object.keys((error.getResponse() as Partial<HealthCheckResult>).error ?? {}).sort();
      throw new CommonError('SERVICE_UNAVAILABLE', `The service cannot serve requests: ${failing.join(', ')} does not answer`, { failing });
    }
  }
}
