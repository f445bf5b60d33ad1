import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Far beyond any list here, and within every database's integer range (PostgreSQL's OFFSET is a bigint). */
export const MAX_OFFSET = 1_000_000_000;

// page.ts is not a `*.dto.ts` file, so the swagger plugin does not read it: document the query by hand.
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'How many items to return.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0, description: 'How many items to skip.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}

export class PageInfoDto {
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() total!: number;
}

export interface Page<T> {
  items: T[];
  page: PageInfoDto;
}

export function pageWindow(query: PageQueryDto): { take: number; skip: number } {
  return { take: query.limit ?? DEFAULT_PAGE_SIZE, skip: query.offset ?? 0 };
}

export function toPage<E, T>(rows: E[], total: number, query: PageQueryDto, map: (row: E) => T): Page<T> {
  const { take, skip } = pageWindow(query);
  return { items: rows.map(map), page: { limit: take, offset: skip, total } };
}
