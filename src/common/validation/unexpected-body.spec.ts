import { Body, Controller, Delete, Param, Patch, Post, RawBody } from '@nestjs/common';
import { PatchBody } from 'src/common/validation/patch-body';
import { readsBody, unexpectedBodyProblems } from 'src/common/validation/unexpected-body';

@Controller()
class Routes {
  @Post('a/:id/close')
  close(@Param('id') id: string): string {
    return id;
  }

  @Post('a')
  create(@Body() body: unknown): unknown {
    return body;
  }

  @Patch('a/:id')
  update(@Param('id') id: string, @PatchBody() body: unknown): unknown {
    return [id, body];
  }

  @Post('a/:id/raw')
  raw(@Param('id') id: string, @RawBody() body: Buffer): unknown {
    return [id, body];
  }

  @Delete('a/:id')
  remove(): void {}
}

describe('which routes read a body', () => {
  it('tells @Body (with or without pipes) and @RawBody from routes that take only path parameters or nothing', () => {
    expect(['close', 'create', 'update', 'raw', 'remove'].map((name) => [name, readsBody(Routes, name)])).toEqual([
      ['close', false],
      ['create', true],
      ['update', true],
      ['raw', true],
      ['remove', false],
    ]);
  });
});

describe('what a route that reads no body refuses', () => {
  it('takes no body, null and {} as no body', () => {
    expect(unexpectedBodyProblems(undefined)).toEqual([]);
    expect(unexpectedBodyProblems(null)).toEqual([]);
    expect(unexpectedBodyProblems({})).toEqual([]);
  });

  it('names every field of an object, in the order sent', () => {
    expect(unexpectedBodyProblems({ reason: 'x', force: true })).toEqual([
      { field: 'reason', code: 'whitelistValidation', message: 'reason is not a known field: this request takes no body' },
      { field: 'force', code: 'whitelistValidation', message: 'force is not a known field: this request takes no body' },
    ]);
  });

  it('refuses any other body at the root', () => {
    for (const body of [[], ['x'], 'text', 0, false, Buffer.from('x')]) {
      expect(unexpectedBodyProblems(body)).toEqual([{ field: '', code: 'noBody', message: 'this request takes no body' }]);
    }
  });
});
