import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsIn, IsString, ValidateNested, validateSync } from 'class-validator';
import { IsDecimalString } from 'src/common/decimal/decimal-string.validator';
import { CommonError } from 'src/common/errors/common.errors';
import { flattenValidationErrors, validationFailed } from 'src/common/errors/validation-errors';

class MemberDto {
  @IsString()
  organisationId!: string;

  @IsIn(['MANDATARIA', 'MANDANTE'])
  role!: string;

  @IsDecimalString({ min: '0', max: '1' })
  executionShare!: string;
}

class AddressDto {
  @IsString()
  city!: string;
}

class GroupingDto {
  @IsString()
  code!: string;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  members!: MemberDto[];
}

// The global ValidationPipe runs with these options (src/app/create-app.ts).
const validate = (body: object) =>
  validateSync(plainToInstance(GroupingDto, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });

const member = { organisationId: 'o1', role: 'MANDANTE', executionShare: '0.5' };

describe('flattenValidationErrors', () => {
  it('names nested fields by their path in the body, with array indexes in brackets', () => {
    const problems = flattenValidationErrors(
      validate({
        code: 'RTI-A',
        address: { city: 7 },
        members: [member, { ...member, executionShare: 0.5 }, { ...member, role: 'BOSS' }],
      }),
    );
    expect(problems).toEqual([
      { field: 'address.city', code: 'isString', message: 'city must be a string' },
      {
        field: 'members[1].executionShare',
        code: 'isDecimalString',
        message: 'executionShare must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values',
      },
      { field: 'members[2].role', code: 'isIn', message: 'role must be one of the following values: MANDATARIA, MANDANTE' },
    ]);
  });

  it('reports an unknown field, at any depth, as "<path> is not a known field"', () => {
    const problems = flattenValidationErrors(
      validate({ code: 'RTI-A', address: { city: 'Padova' }, members: [member, { ...member, colour: 'red' }], extra: 1 }),
    );
    expect(problems).toEqual([
      { field: 'extra', code: 'whitelistValidation', message: 'extra is not a known field' },
      { field: 'members[1].colour', code: 'whitelistValidation', message: 'members[1].colour is not a known field' },
    ]);
  });

  it('keeps one entry per broken constraint of a field', () => {
    const problems = flattenValidationErrors(validate({ code: 'X', address: { city: 'Padova' }, members: 'none' }));
    expect(problems.map((p) => `${p.field}:${p.code}`).sort()).toEqual(['members:isArray', 'members:nestedValidation']);
  });

  it('returns nothing for a valid body', () => {
    expect(flattenValidationErrors(validate({ code: 'X', address: { city: 'Padova' }, members: [member] }))).toEqual([]);
  });
});

describe('validationFailed', () => {
  it('is a 400 VALIDATION_FAILED whose message is the only problem, or a count', () => {
    const one = validationFailed(validate({ code: 'X', address: { city: 'Padova' }, members: [member], extra: 1 }));
    expect(one).toBeInstanceOf(CommonError);
    expect(one.status).toBe(400);
    expect(one.code).toBe('VALIDATION_FAILED');
    expect(one.message).toBe('extra is not a known field');
    expect(one.details.fields).toHaveLength(1);

    const many = validationFailed(validate({ code: 1, address: { city: 2 }, members: [] }));
    expect(many.message).toBe('2 fields are invalid');
    expect(many.details.fields!.map((f) => f.field)).toEqual(['code', 'address.city']);
  });
});
