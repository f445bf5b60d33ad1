import { ApiProperty } from '@nestjs/swagger';

export class RuleSetTestMismatchDto {
  /** premium, payable, lines.<term id>, allocation.<member code>. */
  field!: string;
  expected!: string;
  actual!: string;
}

export class RuleSetTestResultDto {
  name!: string;
  passed!: boolean;
  @ApiProperty({ type: [RuleSetTestMismatchDto] })
  mismatches!: RuleSetTestMismatchDto[];
  /** When the case could not be computed: its error code and message. */
  @ApiProperty({ nullable: true, type: Object })
  error!: { code: string; message: string } | null;
  premium!: string | null;
  payable!: string | null;
}

export class RuleSetTestRunDto {
  ruleSetCode!: string;
  total!: number;
  passed!: number;
  @ApiProperty({ type: [RuleSetTestResultDto] })
  results!: RuleSetTestResultDto[];
}
