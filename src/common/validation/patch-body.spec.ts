import { IsOptional, IsString, ValidateIf } from 'class-validator';
import { CommonError } from 'src/common/errors/common.errors';
import { declaredFields, PresentIfGiven, RequireAChangePipe } from 'src/common/validation/patch-body';

class UpdateThingDto {
  @PresentIfGiven()
  @IsString()
  name?: string;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  note?: string | null;
}

const pipe = new RequireAChangePipe();
const patch = (value: unknown) => pipe.transform(value, { type: 'body', metatype: UpdateThingDto });

function refusal(value: unknown): InstanceType<typeof CommonError> {
  try {
    patch(value);
  } catch (error) {
    return error as InstanceType<typeof CommonError>;
  }
  throw new Error('expected a refusal');
}

describe('PATCH bodies', () => {
  it('lists the fields of the body class in declaration order, once each', () => {
    expect(declaredFields(UpdateThingDto)).toEqual(['name', 'note']);
  });

  it.each([
    ['an empty object', Object.assign(new UpdateThingDto(), {})],
    ['a validated null body', new UpdateThingDto()],
    ['a field left undefined', Object.assign(new UpdateThingDto(), { name: undefined })],
    ['null', null],
    ['undefined', undefined],
  ])('refuses %s as naming no field to change, listing the fields it could name', (_label, value) => {
    const error = refusal(value);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('name at least one field to change: name, note');
    expect(error.details).toEqual({ fields: [{ field: '', code: 'noChange', message: 'name at least one field to change: name, note' }] });
  });

  it('passes a body naming one field through untouched, null (a clearing) included', () => {
    const named = Object.assign(new UpdateThingDto(), { note: null });
    expect(patch(named)).toBe(named);
  });
});
