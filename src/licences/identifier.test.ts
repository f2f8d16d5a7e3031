import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLicenceIdentifier, checkLicenceIdentifier, mod3736CheckChar } from './identifier';

// 电子证照标识 (GB/T 36904-2018) and its ISO/IEC 7064 MOD 37,36 check character.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const segment = (max: number) =>
  fc
    .array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: max })
    .map((chars) => chars.join(''));
const parts = fc.record({
  typeCode: segment(24),
  issuerCode: segment(18),
  serial: segment(32),
  version: fc.integer({ min: 1, max: 999 }),
});

describe('ISO/IEC 7064 MOD 37,36', () => {
  it('gives the reference value of the standard hybrid system example (GRid A1-2425G-ABC1234002-M)', () => {
    // The Global Release Identifier uses ISO 7064 MOD 37,36; its published example is
    // A1-2425G-ABC1234002-M (IFPI GRid standard; also the ISO 7064 example in Wikipedia's GRid page).
    expect(mod3736CheckChar('A12425GABC1234002')).toBe('M');
  });

  it('agrees with an independent implementation on its vectors', () => {
    // Vectors of a public Go implementation's tests (package iso7064, TestModulo37_36).
    const vectors: [string, string][] = [
      ['RABD', 'A'],
      ['X0H', 'X'],
      ['B7Q3SFTUSH2QN7BIXBPMNZAM', 'I'],
      ['TBR', '1'],
      ['9', 'J'],
      ['WP8Z0', '9'],
    ];
    for (const [input, check] of vectors) expect(mod3736CheckChar(input), input).toBe(check);
  });

  it('refuses characters outside 0-9A-Z', () => {
    expect(() => mod3736CheckChar('ab')).toThrow(/not in 0-9A-Z/);
  });
});

describe('e-licence identifiers', () => {
  it('accepts identifiers published by real e-licence integrations', () => {
    // Format references of national e-licence integrations found in public code (see identifier.ts).
    for (const id of [
      '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
      '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
      '1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9',
    ]) {
      const check = checkLicenceIdentifier(id);
      expect(check.valid, id).toBe(true);
    }
  });

  it('names the MOD 37,36 rule when the check character is wrong, in both languages', () => {
    const check = checkLicenceIdentifier(
      '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V',
    );
    expect(check).toMatchObject({ valid: false, rule: 'iso7064-mod37-36' });
    if (!check.valid) {
      expect(check.message.zh).toContain('应为 U');
      expect(check.message.en).toContain('gives U');
    }
  });

  it('names the format rule for anything not in the national layout', () => {
    for (const bad of [
      '',
      'abc',
      '1.2.156.3005.3.A.B.C.001.X',
      '1.2.156.3005.2.a.B.C.001.X',
      '1.2.156.3005.2.A.B.C.01.X',
      '1.2.156.3005.2.A.B.C.001',
    ]) {
      expect(checkLicenceIdentifier(bad), bad).toMatchObject({
        valid: false,
        rule: 'licence-identifier-format',
      });
    }
  });

  it('builds identifiers that check, and gives their parts back', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const id = buildLicenceIdentifier(p);
        expect(id.startsWith('1.2.156.3005.2.')).toBe(true);
        expect(checkLicenceIdentifier(id)).toMatchObject({ valid: true, parts: p });
      }),
    );
  });

  it('detects every single changed character', () => {
    fc.assert(
      fc.property(parts, fc.nat(), fc.constantFrom(...ALPHABET), (p, at, replacement) => {
        const id = buildLicenceIdentifier(p);
        // positions of payload characters and the check character (dots and the OID excluded)
        const positions = [...id]
          .map((c, i) => (i >= 15 && c !== '.' ? i : -1))
          .filter((i) => i >= 0);
        const i = positions[at % positions.length]!;
        fc.pre(id[i] !== replacement);
        const changed = id.slice(0, i) + replacement + id.slice(i + 1);
        expect(checkLicenceIdentifier(changed).valid).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('detects nearly every swap of two adjacent characters (MOD 37,36 does not promise all)', () => {
    // e.g. …V6.D.FE0.001.0 and …V6.D.EF0.001.0 share their check character: the hybrid system
    // doubles modulo 37, and some pairs of values collide.
    let swaps = 0;
    let caught = 0;
    fc.assert(
      fc.property(parts, (p) => {
        const id = buildLicenceIdentifier(p);
        for (let i = 15; i < id.length - 3; i += 1) {
          const a = id[i]!;
          const b = id[i + 1]!;
          if (a === '.' || b === '.' || a === b) continue;
          swaps += 1;
          const swapped = id.slice(0, i) + b + a + id.slice(i + 2);
          if (!checkLicenceIdentifier(swapped).valid) caught += 1;
        }
      }),
      { numRuns: 300 },
    );
    expect(caught / swaps).toBeGreaterThan(0.9);
  });
});
