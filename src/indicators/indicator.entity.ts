import { Column, Entity } from 'typeorm';
import { BaseEntity, OrderedChildEntity } from 'src/database/base.entity';

export const INDICATOR_UNITS = ['COUNT', 'PERCENT', 'RATIO', 'SCORE', 'EUR', 'HOURS', 'DAYS', 'FTE'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];

/** Higher is better, lower is better, or hold a level. */
export const DIRECTIONS = ['INCREASE', 'DECREASE', 'LEVEL'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const FREQUENCIES = ['MONTHLY', 'QUARTERLY', 'SEMIANNUAL', 'ANNUAL', 'ONE_OFF'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const INDICATOR_SCOPES = ['PER_GROUPING', 'CONTRACT_WIDE'] as const;
export type IndicatorScope = (typeof INDICATOR_SCOPES)[number];

// How disaggregated parts relate to the total: SUM (parts add up), UNIQUE (a de-duplicated count of
// people: total between the largest part and the sum), NONE (rates, scores: no relation).
export const AGGREGATIONS = ['SUM', 'UNIQUE', 'NONE'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const DATA_OWNERS = ['MUNICIPALITY', 'GROUPING', 'EVALUATOR', 'EXTERNAL'] as const;
export type DataOwner = (typeof DATA_OWNERS)[number];

export interface Disaggregation {
  dimension: string;
  values: string[];
}

@Entity('indicators')
export class IndicatorEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'node_id', type: 'varchar', length: 36 })
  nodeId!: string;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ name: 'label_it', type: 'varchar', length: 500 })
  labelIt!: string;

  @Column({ name: 'label_en', type: 'varchar', length: 500, nullable: true })
  labelEn!: string | null;

  @Column({ type: 'varchar', length: 16 })
  unit!: IndicatorUnit;

  @Column({ type: 'varchar', length: 16 })
  direction!: Direction;

  @Column({ name: 'formula_text', type: 'text', nullable: true })
  formulaText!: string | null;

  @Column({ name: 'formula_numerator', type: 'text', nullable: true })
  formulaNumerator!: string | null;

  @Column({ name: 'formula_denominator', type: 'text', nullable: true })
  formulaDenominator!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  instrument!: string | null;

  @Column({ name: 'data_owner', type: 'varchar', length: 16, nullable: true })
  dataOwner!: DataOwner | null;

  @Column({ type: 'varchar', length: 16 })
  frequency!: Frequency;

  @Column({ name: 'min_sample_size', type: 'integer', nullable: true })
  minSampleSize!: number | null;

  @Column({ type: 'simple-json' })
  disaggregations!: Disaggregation[];

  @Column({ type: 'varchar', length: 16 })
  scope!: IndicatorScope;

  @Column({ type: 'varchar', length: 16 })
  aggregation!: Aggregation;

  @Column({ type: 'integer' })
  position!: number;
}

/** Baseline of an indicator for one grouping (or contract-wide when groupingId is null). */
@Entity('indicator_baselines')
export class IndicatorBaselineEntity extends OrderedChildEntity {
  @Column({ name: 'indicator_id', type: 'varchar', length: 36 })
  indicatorId!: string;

  @Column({ name: 'grouping_id', type: 'varchar', length: 36, nullable: true })
  groupingId!: string | null;

  /** Null while the baseline is still to be established from a period's data. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  value!: string | null;

  @Column({ name: 'established_in_period_id', type: 'varchar', length: 36, nullable: true })
  establishedInPeriodId!: string | null;

  /** What the baseline refers to, e.g. the year "2022". */
  @Column({ type: 'varchar', length: 64, nullable: true })
  reference!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}

@Entity('indicator_targets')
export class IndicatorTargetEntity extends OrderedChildEntity {
  @Column({ name: 'indicator_id', type: 'varchar', length: 36 })
  indicatorId!: string;

  @Column({ name: 'period_id', type: 'varchar', length: 36 })
  periodId!: string;

  @Column({ name: 'grouping_id', type: 'varchar', length: 36, nullable: true })
  groupingId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  value!: string;
}

/** The reference population an indicator divides by (coverage rate of need), per grouping or contract-wide. */
@Entity('indicator_denominators')
export class IndicatorDenominatorEntity extends OrderedChildEntity {
  @Column({ name: 'indicator_id', type: 'varchar', length: 36 })
  indicatorId!: string;

  @Column({ name: 'grouping_id', type: 'varchar', length: 36, nullable: true })
  groupingId!: string | null;

  @Column({ name: 'reference_population_id', type: 'varchar', length: 36 })
  referencePopulationId!: string;
}
