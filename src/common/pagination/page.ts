import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export class PageQueryDto {
  /** How many items to return (1-200). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  /** How many items to skip. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
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
