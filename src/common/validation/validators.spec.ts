import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { IsCode } from 'src/common/validation/code.validator';
import { IsIsoDate } from 'src/common/validation/is-iso-date.validator';

class PeriodDto {
  @IsCode()
  code!: string;

  @IsIsoDate()
  startDate!: string;

  @IsOptional()
  @IsIsoDate()
  endDate?: string;
}

const problems = (body: object) =>
  validateSync(plainToInstance(PeriodDto, body)).flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));

describe('@IsCode and @IsIsoDate', () => {
  it.each(['Y1', 'IND-01', 'RTI-A', 'PD-SDC-2.0', 'a_b', '9'])('accepts the code %s', (code) => {
    expect(problems({ code, startDate: '2024-01-01' })).toEqual([]);
  });

  it.each(['', '-A', '.x', 'RTI A', 'città', 'A'.repeat(65)])('rejects the code %j', (code) => {
    expect(problems({ code, startDate: '2024-01-01' })).toContain(
      'code: code must be a code of letters, digits, ".", "_" or "-" (at most 64 characters)',
    );
  });

  it('rejects an impossible or badly written date, naming the field', () => {
    expect(problems({ code: 'Y1', startDate: '2023-02-29', endDate: '31/12/2024' })).toEqual([
      'startDate: startDate must be a calendar date as YYYY-MM-DD',
      'endDate: endDate must be a calendar date as YYYY-MM-DD',
    ]);
  });
});
