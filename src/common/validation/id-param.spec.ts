import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsId } from 'src/common/validation/id-param';

class Body {
  @IsId()
  organisationId!: unknown;

  @IsId({ each: true })
  periodIds!: unknown;
}

const ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

function read(plain: object): { value: Body; problems: string[] } {
  const value = plainToInstance(Body, plain);
  return { value, problems: validateSync(value).flatMap((e) => Object.keys(e.constraints ?? {}).map((c) => `${e.property}: ${c}`)) };
}

describe('IsId: a body or query id, read case-insensitively', () => {
  it('lower-cases a UUID sent in upper or mixed case, one or in an array', () => {
    const { value, problems } = read({ organisationId: ID.toUpperCase(), periodIds: [ID.toUpperCase(), `${ID.slice(0, 8).toUpperCase()}${ID.slice(8)}`] });
    expect(problems).toEqual([]);
    expect([value.organisationId, value.periodIds]).toEqual([ID, [ID, ID]]);
  });

  it('still refuses what is not a UUID, with isUuid as @IsUUID did, and leaves non-strings to the validator', () => {
    expect(read({ organisationId: `${ID}X`, periodIds: [ID] }).problems).toEqual(['organisationId: isUuid']);
    expect(read({ organisationId: 12, periodIds: [ID, 7] }).problems).toEqual(['organisationId: isUuid', 'periodIds: isUuid']);
    expect(read({ organisationId: ID, periodIds: [ID] }).value.periodIds).toEqual([ID]);
  });
});
