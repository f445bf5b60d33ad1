import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from 'src/auth/principal';
import { DomainError } from 'src/common/errors/domain-error';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { closedPeriods } from 'src/measurements/period-closure.lookup';
import { SettlementRunContractDto } from 'src/settlements/dto/settlement.dto';
import { bindingsInForce, fetchInputRows } from 'src/settlements/settlement-inputs.loader';
import { SettlementDraftsService } from 'src/settlements/settlement-drafts.service';
import { type ReadyInputs, readyInputs } from 'src/settlements/settlement-inputs.ready';
import type { SettlementDocument } from 'src/settlements/settlement-document';
import { runWarnings } from 'src/settlements/settlement-run.warnings';

/** Contracts read together before each is written in its own transaction. */
const BATCH = 200;

export interface PortfolioTarget {
  contract: ContractEntity;
  periodId: string;
}

export interface PortfolioListener {
  /** Asked before each batch and each contract: true stops the settling there. */
  stopped(): boolean;
  /** Called after each contract, `endOfBatch` after the last of a batch. */
  settled(result: SettlementRunContractDto, endOfBatch: boolean): Promise<void>;
}

/**
 * Settling a municipality's portfolio for a period, one transaction per contract, so one contract's failure
 * (no binding rules, ambiguous data) is reported and rolls back only that contract. Inputs are read for 200
 * contracts at a time, set-wise; a draft computed from data that changes before its approval is refused then
 * as stale. Contracts whose groupings are all approved for the period are SKIPPED. A settled contract carries
 * warnings when its period is not closed or its drafts settled terms on missing data (settlement-run.warnings.ts).
 * SettlementRunsService records the run; this is the settling itself.
 */
@Injectable()
export class SettlementPortfolio {
  constructor(
    private readonly db: Database,
    private readonly drafts: SettlementDraftsService,
  ) {}

  /** The contracts of the municipality that have a period with the code, by contract code. */
  async targets(m: EntityManager, municipalityId: string, periodCode: string): Promise<PortfolioTarget[]> {
    const contracts = await m.find(ContractEntity, { where: { municipalityId }, order: { code: 'ASC' } });
    const periods = await m.find(ContractPeriodEntity, { where: { code: periodCode } });
    const byContract = new Map(periods.map((x) => [x.contractId, x.id]));
    return contracts.filter((c) => byContract.has(c.id)).map((c) => ({ contract: c, periodId: byContract.get(c.id) as string }));
  }

  async settle(p: Principal, targets: readonly PortfolioTarget[], listener: PortfolioListener): Promise<void> {
    for (let i = 0; i < targets.length; i += BATCH) {
      if (listener.stopped()) return;
      const batch = targets.slice(i, i + BATCH);
      const periodIds = new Map(batch.map((t) => [t.contract.id, t.periodId]));
      const { rows, bindings, closed } = await this.db.read(async (m) => {
        const fetched = await fetchInputRows(m, batch.map((t) => t.contract), periodIds);
        // Whether each period is closed, for the warnings: one read per batch (outside a transaction, it locks nothing).
        return { rows: fetched, bindings: await bindingsInForce(m, fetched, periodIds), closed: await closedPeriods(m, [...new Set(periodIds.values())]) };
      });
      for (const [j, { contract, periodId }] of batch.entries()) {
        if (listener.stopped()) return;
        const result = await this.one(p, contract, closed.has(periodId), () => readyInputs(rows, bindings, contract, periodId));
        await listener.settled(result, j === batch.length - 1);
      }
    }
  }

  private async one(p: Principal, contract: ContractEntity, periodClosed: boolean, ready: () => ReadyInputs): Promise<SettlementRunContractDto> {
    const base = { contractId: contract.id, contractCode: contract.code };
    try {
      const inputs = ready();
      const drafted: SettlementDocument[] = [];
      const out = await this.db.transaction(async (m) => {
        // As a single compute does: the contract row lock (PostgreSQL) serialises settling one contract.
        if (m.connection.options.type === 'postgres') await m.findOne(ContractEntity, { where: { id: contract.id }, lock: { mode: 'pessimistic_write' } });
        return this.drafts.writeDrafts(m, p, contract, inputs, (doc) => drafted.push(doc));
      });
      // Told, never held against the contract: the drafts are written and counted as settled either way.
      const warnings = runWarnings(inputs.period.code, periodClosed, drafted);
      return { ...base, status: 'SETTLED', computed: out.computed.length, problem: null, warnings };
    } catch (error) {
      if (error instanceof DomainError) {
        const status = error.code === 'SETTLEMENT_ALREADY_APPROVED' ? 'SKIPPED' : 'FAILED';
        return { ...base, status, computed: 0, problem: { code: error.code, message: error.message }, warnings: [] };
      }
      throw error;
    }
  }
}
