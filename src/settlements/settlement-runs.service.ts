import { Injectable } from '@nestjs/common';
import { AccessScope } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { Principal } from 'src/auth/principal';
import { DomainError } from 'src/common/errors/domain-error';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { SettlementRunContractDto, SettlementRunDto } from 'src/settlements/dto/settlement.dto';
import { bindingsInForce, fetchInputRows } from 'src/settlements/settlement-inputs.loader';
import { SettlementDraftsService } from 'src/settlements/settlement-drafts.service';
import { type ReadyInputs, readyInputs } from 'src/settlements/settlement-inputs.ready';
import { SettlementError } from 'src/settlements/settlements.errors';

/** Contracts read together before each is written in its own transaction. */
const BATCH = 200;

export type RunProgress = (done: number, total: number, last: SettlementRunContractDto) => void;

/**
 * Portfolio settlement: every contract of a municipality that has a period with the given code is settled
 * for it, one transaction per contract, so one contract's failure (no binding rules, ambiguous data) is
 * reported and rolls back only that contract. Inputs are read for 200 contracts at a time, set-wise; a
 * draft computed from data that changes before its approval is refused then as stale. Contracts whose groupings are all approved for the period
 * are SKIPPED. Progress is reported after each contract (the CLI draws a bar with it).
 */
@Injectable()
export class SettlementRunsService {
  constructor(
    private readonly db: Database,
    private readonly scope: AccessScope,
    private readonly drafts: SettlementDraftsService,
  ) {}

  async run(p: Principal, municipalityId: string, periodCode: string, onProgress: RunProgress = () => undefined): Promise<SettlementRunDto> {
    const targets = await this.db.read(async (m) => {
      const municipality = await m.findOneBy(OrganisationEntity, { id: municipalityId });
      const visible = await this.scope.municipalities(m, p);
      if (!municipality || (visible !== 'ALL' && !visible.includes(municipalityId))) {
        throw new SettlementError('SETTLEMENT_NOT_FOUND', `Municipality ${municipalityId} not found`, { municipalityId });
      }
      if (!(await this.scope.canManage(m, p, municipalityId, ['contract_manager']))) {
        throw new AuthError('AUTH_FORBIDDEN', 'Only contract managers of the municipality settle its portfolio', {});
      }
      const contracts = await m.find(ContractEntity, { where: { municipalityId }, order: { code: 'ASC' } });
      const periods = await m.find(ContractPeriodEntity, { where: { code: periodCode } });
      const byContract = new Map(periods.map((x) => [x.contractId, x.id]));
      return contracts.filter((c) => byContract.has(c.id)).map((c) => ({ contract: c, periodId: byContract.get(c.id) as string }));
    });
    const results: SettlementRunContractDto[] = [];
    // Reads set-wise for a batch of contracts, then writes each contract in its own transaction.
    for (let i = 0; i < targets.length; i += BATCH) {
      const batch = targets.slice(i, i + BATCH);
      const periodIds = new Map(batch.map((t) => [t.contract.id, t.periodId]));
      const { rows, bindings } = await this.db.read(async (m) => {
        const fetched = await fetchInputRows(m, batch.map((t) => t.contract), periodIds);
        return { rows: fetched, bindings: await bindingsInForce(m, fetched, periodIds) };
      });
      for (const { contract, periodId } of batch) {
        const result = await this.one(p, contract, () => readyInputs(rows, bindings, contract, periodId));
        results.push(result);
        onProgress(results.length, targets.length, result);
      }
    }
    const count = (s: SettlementRunContractDto['status']): number => results.filter((r) => r.status === s).length;
    return { municipalityId, periodCode, total: results.length, settled: count('SETTLED'), skipped: count('SKIPPED'), failed: count('FAILED'), contracts: results };
  }

  private async one(p: Principal, contract: ContractEntity, ready: () => ReadyInputs): Promise<SettlementRunContractDto> {
    const base = { contractId: contract.id, contractCode: contract.code };
    try {
      const inputs = ready();
      const out = await this.db.transaction(async (m) => {
        // As a single compute does: the contract row lock (PostgreSQL) serialises settling one contract.
        if (m.connection.options.type === 'postgres') await m.findOne(ContractEntity, { where: { id: contract.id }, lock: { mode: 'pessimistic_write' } });
        return this.drafts.writeDrafts(m, p, contract, inputs);
      });
      return { ...base, status: 'SETTLED', computed: out.computed.length, problem: null };
    } catch (error) {
      if (error instanceof DomainError) {
        const status = error.code === 'SETTLEMENT_ALREADY_APPROVED' ? 'SKIPPED' : 'FAILED';
        return { ...base, status, computed: 0, problem: { code: error.code, message: error.message } };
      }
      throw error;
    }
  }
}
