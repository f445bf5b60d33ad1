import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from 'src/auth/api-key';

describe('API keys', () => {
  it('are shown once as ancora_<prefix>_<secret> and stored only as a SHA-256 with the visible prefix', () => {
    const k = generateApiKey();
    expect(k.key).toMatch(/^ancora_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(k.prefix).toBe(k.key.slice(0, 15));
    expect(k.hash).toBe(hashApiKey(k.key));
    expect(k.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(k.hash).not.toContain(k.key.slice(16));
  });

  it('differ every time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKey().key));
    expect(keys.size).toBe(50);
  });

  it('match only their own hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(apiKeyMatches(a.key, a.hash)).toBe(true);
    expect(apiKeyMatches(a.key, b.hash)).toBe(false);
    expect(apiKeyMatches(`${a.key}x`, a.hash)).toBe(false);
  });

  it('recognise only well-formed keys', () => {
    const k = generateApiKey();
    expect(apiKeyPrefix(k.key)).toBe(k.prefix);
    expect(apiKeyPrefix('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBeNull();
    expect(apiKeyPrefix('ancora_short_x')).toBeNull();
  });
});
