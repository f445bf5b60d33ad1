import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateNested, validateSync } from 'class-validator';
import { IsDecimalString } from 'src/common/decimal/decimal-string.validator';
import { CommonError } from 'src/common/errors/common.errors';
import { flattenValidationErrors, validationFailed } from 'src/common/errors/validation-errors';
import { IsCode } from 'src/common/validation/code.validator';

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

// Fields that fail several constraints at once, declared the way the DTOs of this codebase are.
class ItemDto {
  @IsCode()
  code!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  quantity?: number;
}

class ReviewDto {
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  reason!: string;

  @IsDefined()
  @IsString()
  @MaxLength(5)
  owner!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @ArrayUnique()
  @Matches(/^[A-Z]+$/, { each: true })
  tags?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items?: ItemDto[];
}

// The global ValidationPipe runs with these options (src/app/create-app.ts).
const options = { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } };
const validate = (body: object) => validateSync(plainToInstance(GroupingDto, body), options);
const review = (body: object) => flattenValidationErrors(validateSync(plainToInstance(ReviewDto, body), options));
const valid = { reason: 'late data', owner: 'Anna' };

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
        message: 'executionShare must be a decimal string such as "0.25": JSON numbers are not accepted for money or measured values',
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

  it('reports a field that is not an array as not an array, not also as "nested property must be an object or array"', () => {
    const problems = flattenValidationErrors(validate({ code: 'X', address: { city: 'Padova' }, members: 'none' }));
    expect(problems).toEqual([{ field: 'members', code: 'isArray', message: 'members must be an array' }]);
  });

  it('returns nothing for a valid body', () => {
    expect(flattenValidationErrors(validate({ code: 'X', address: { city: 'Padova' }, members: [member] }))).toEqual([]);
  });
});

describe('flattenValidationErrors: one problem per field', () => {
  it('reports a missing value by its type (or isDefined), never by a length limit it also fails', () => {
    expect(review({ owner: 'Anna' })).toEqual([{ field: 'reason', code: 'isString', message: 'reason must be a string' }]);
    expect(review({ reason: 'late data' })).toEqual([{ field: 'owner', code: 'isDefined', message: 'owner should not be null or undefined' }]);
    // IsCode is one decorator holding three checks (string, at most 64 characters, pattern).
    expect(review({ ...valid, items: [{}] })).toEqual([{ field: 'items[0].code', code: 'isString', message: 'code must be a string' }]);
  });

  it('reports a value of the wrong type by its type, not by the limits a value of that type would have', () => {
    expect(review({ ...valid, reason: 7 })).toEqual([{ field: 'reason', code: 'isString', message: 'reason must be a string' }]);
    expect(review({ ...valid, items: 'none' })).toEqual([{ field: 'items', code: 'isArray', message: 'items must be an array' }]);
  });

  it('reports a value of the right type that only breaks a limit by that limit', () => {
    expect(review({ ...valid, reason: 'x'.repeat(21) })).toEqual([{ field: 'reason', code: 'maxLength', message: 'reason must be shorter than or equal to 20 characters' }]);
    expect(review({ ...valid, reason: '' })).toEqual([{ field: 'reason', code: 'minLength', message: 'reason must be longer than or equal to 1 characters' }]);
    expect(review({ ...valid, items: [] })).toEqual([{ field: 'items', code: 'arrayMinSize', message: 'items must contain at least 1 elements' }]);
  });

  it('prefers a broken format to a broken limit: the format says what the value should look like', () => {
    expect(review({ ...valid, items: [{ code: 'a b'.repeat(30) }] })).toEqual([
      { field: 'items[0].code', code: 'matches', message: 'code must be a code of letters, digits, ".", "_" or "-" (at most 64 characters)' },
    ]);
    expect(review({ ...valid, tags: ['a', 'B', 'C', 'D'] })).toEqual([{ field: 'tags', code: 'matches', message: 'each value in tags must match /^[A-Z]+$/ regular expression' }]);
  });

  it('between checks of the same kind, reports the one declared first', () => {
    // ArrayUnique is declared above Matches; class-validator records stacked decorators bottom-up.
    expect(review({ ...valid, tags: ['a', 'a'] })).toEqual([{ field: 'tags', code: 'arrayUnique', message: "All tags's elements must be unique" }]);
  });

  it('reports each nested array item by its path, one problem for each', () => {
    expect(review({ ...valid, items: [{ code: 'A' }, { code: 'B', quantity: 0 }, { code: 'C', quantity: 'two' }, { code: 'D' }, { code: 'E' }, { code: 'F' }] })).toEqual([
      { field: 'items', code: 'arrayMaxSize', message: 'items must contain no more than 5 elements' },
      { field: 'items[1].quantity', code: 'min', message: 'quantity must not be less than 1' },
      { field: 'items[2].quantity', code: 'isInt', message: 'quantity must be an integer number' },
    ]);
  });

  it('gives as many problems as there are invalid fields', () => {
    const problems = review({ reason: '', tags: 'A', items: [{ code: 'A', quantity: 0 }], extra: true });
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual(['extra:whitelistValidation', 'reason:minLength', 'owner:isDefined', 'tags:isArray', 'items[0].quantity:min']);
  });

  it('returns nothing for a valid body', () => {
    expect(review(valid)).toEqual([]);
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
