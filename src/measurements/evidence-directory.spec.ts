import { evidenceDirectory } from 'src/measurements/evidence-directory';

describe('evidence directory', () => {
  it('defaults to data/evidence under the working directory, as the SQLite file does', () => {
    expect(evidenceDirectory({}, '/srv/ancora')).toBe('/srv/ancora/data/evidence');
    expect(evidenceDirectory({ EVIDENCE_DIR: '  ' }, '/srv/ancora')).toBe('/srv/ancora/data/evidence');
  });

  it('takes EVIDENCE_DIR, absolute or relative to the working directory', () => {
    expect(evidenceDirectory({ EVIDENCE_DIR: '/var/lib/ancora/evidence' }, '/srv/ancora')).toBe('/var/lib/ancora/evidence');
    expect(evidenceDirectory({ EVIDENCE_DIR: 'files' }, '/srv/ancora')).toBe('/srv/ancora/files');
  });

  it('refuses a value that cannot be a path', () => {
    expect(() => evidenceDirectory({ EVIDENCE_DIR: 'a\0b' })).toThrow('EVIDENCE_DIR must be a directory path');
  });
});
