import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DEFAULT_PAGE_SIZE, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';

describe('paging', () => {
  it('defaults to the first 50 items', () => {
    expect(pageWindow({})).toEqual({ take: DEFAULT_PAGE_SIZE, skip: 0 });
    expect(pageWindow({ limit: 10, offset: 20 })).toEqual({ take: 10, skip: 20 });
  });

  it('answers the window it used with the total, mapping each row', () => {
    expect(toPage([{ n: 1 }, { n: 2 }], 7, { offset: 2 }, (r) => r.n * 10)).toEqual({
      items: [10, 20],
      page: { limit: 50, offset: 2, total: 7 },
    });
  });

  it('reads limit and offset from the query string and bounds them', () => {
    const check = (query: Record<string, string>) =>
      validateSync(plainToInstance(PageQueryDto, query)).map((e) => `${e.property}:${Object.keys(e.constraints ?? {}).join(',')}`);
    expect(plainToInstance(PageQueryDto, { limit: '10', offset: '0' })).toEqual({ limit: 10, offset: 0 });
    expect(check({ limit: '200', offset: '0' })).toEqual([]);
    expect(check({ limit: '0' })).toEqual(['limit:min']);
    expect(check({ limit: '201' })).toEqual(['limit:max']);
    expect(check({ limit: '2.5', offset: '-1' })).toEqual(['limit:isInt', 'offset:min']);
    // Past the limit, not past the database: 1e20 is an integer to JavaScript and out of range to PostgreSQL.
    expect(check({ offset: '1000000000' })).toEqual([]);
    expect(check({ offset: '1000000001' })).toEqual(['offset:max']);
    expect(check({ offset: '99999999999999999999' })).toEqual(['offset:max']);
  });
});
