import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import {
  SealedValueError,
  blindIndexOf,
  isSealed,
  openValue,
  lookupForms,
  open,
  resolveDataKey,
  sealDeterministicValue,
  sealLookup,
  sealSubjectIdentifier,
  sealValue,
  sealingKey,
} from '.';

const keyA = sealingKey(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
const keyB = sealingKey(Buffer.from('ffeeddccbbaa99887766554433221100', 'hex'));

describe('sealing personal data with SM4 and HMAC-SM3', () => {
  it('opens what it sealed, and seals the same value differently each time (random IV)', () => {
    const one = sealValue(keyA, '13906311013');
    const two = sealValue(keyA, '13906311013');
    expect(one).not.toBe(two);
    expect(one).toMatch(/^sm4:1:[0-9a-f]{8}:[^:]+:[^:]+:[^:]+$/);
    expect(one).not.toContain('13906311013');
    expect(openValue([keyA], one)).toBe('13906311013');
    expect(openValue([keyA], sealValue(keyA, '山东省威海市环翠区新威路 17 号'))).toBe(
      '山东省威海市环翠区新威路 17 号',
    );
    expect(openValue([keyA], sealValue(keyA, ''))).toBe('');
  });

  it('passes values stored before sealing through unchanged', () => {
    expect(isSealed('13906311013')).toBe(false);
    expect(openValue([keyA], '13906311013')).toBe('13906311013');
  });

  it('refuses a changed ciphertext, IV or MAC, and a value cut short', () => {
    const sealed = sealValue(keyA, '13906311013');
    const parts = sealed.split(':');
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64');
    };
    for (const at of [3, 4, 5]) {
      const changed = [...parts];
      changed[at] = flip(changed[at]!);
      expect(() => openValue([keyA], changed.join(':'))).toThrow(SealedValueError);
    }
    expect(() => openValue([keyA], parts.slice(0, 5).join(':'))).toThrow(SealedValueError);
  });

  it('refuses a value sealed under a key it was not given, and opens it with that key', () => {
    const sealed = sealValue(keyB, '张伟');
    expect(() => openValue([keyA], sealed)).toThrow(/not configured/);
    expect(openValue([keyA, keyB], sealed)).toBe('张伟');
    // Moving a value to another key id does not help: the MAC is keyed too.
    const relabelled = sealed.replace(`:${keyB.id}:`, `:${keyA.id}:`);
    expect(() => openValue([keyA, keyB], relabelled)).toThrow(/authentication/);
  });

  it('derives a blind index that finds equal values and differs between keys', () => {
    expect(blindIndexOf(keyA, '13906311013')).toBe(blindIndexOf(keyA, '13906311013'));
    expect(blindIndexOf(keyA, '13906311013')).not.toBe(blindIndexOf(keyA, '13906311014'));
    expect(blindIndexOf(keyA, '13906311013')).not.toBe(blindIndexOf(keyB, '13906311013'));
  });
});

describe('sealing values found by equality (synthetic IV)', () => {
  const ric = '37100219900307123X';

  it('seals the same value to the same text under one key, and different values differently', () => {
    const one = sealDeterministicValue(keyA, ric);
    expect(sealDeterministicValue(keyA, ric)).toBe(one);
    expect(one).toMatch(/^sm4:1:[0-9a-f]{8}:[^:]+:[^:]+:[^:]+$/);
    expect(one).not.toContain(ric);
    expect(one).not.toContain('371002');
    expect(sealDeterministicValue(keyA, '371002199003071236')).not.toBe(one);
    // The IV is not fixed: it follows the value, so equal prefixes do not show either.
    const ivOf = (sealed: string) => sealed.split(':')[3];
    expect(ivOf(sealDeterministicValue(keyA, '371002199003071236'))).not.toBe(ivOf(one));
  });

  it('differs between keys and opens with openValue like any sealed value', () => {
    const a = sealDeterministicValue(keyA, ric);
    const b = sealDeterministicValue(keyB, ric);
    expect(a).not.toBe(b);
    expect(openValue([keyA], a)).toBe(ric);
    expect(openValue([keyB], b)).toBe(ric);
    expect(() => openValue([keyA], b)).toThrow(/not configured/);
    expect(sealDeterministicValue(keyA, ric)).not.toBe(sealValue(keyA, ric));
  });

  it('refuses a changed ciphertext, IV or MAC', () => {
    const parts = sealDeterministicValue(keyA, ric).split(':');
    for (const at of [3, 4, 5]) {
      const changed = [...parts];
      const bytes = Buffer.from(changed[at]!, 'base64');
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      changed[at] = bytes.toString('base64');
      expect(() => openValue([keyA], changed.join(':'))).toThrow(SealedValueError);
    }
  });

  it('gives every stored form a lookup must match, and seals only a person’s identifier', () => {
    const sealed = sealLookup(ric);
    expect(sealLookup(sealed)).toBe(sealed);
    expect(open(sealed)).toBe(ric);
    expect(lookupForms(ric)).toEqual(expect.arrayContaining([ric, sealed]));
    expect(sealSubjectIdentifier('person', ric)).toBe(sealed);
    expect(sealSubjectIdentifier('enterprise', '91371002MA3C8Y2X1K')).toBe('91371002MA3C8Y2X1K');
  });
});

describe('finding the data key', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'onething-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = { dataDir: path.join(dir, 'pglite'), memory: false, dataKey: null };

  it('reads ONETHING_DATA_KEY as 32 hex digits and refuses anything else', () => {
    expect(loadConfig({ ONETHING_DATA_KEY: '00112233445566778899AABBCCDDEEFF' }).dataKey).toEqual(
      Buffer.from('00112233445566778899aabbccddeeff', 'hex'),
    );
    expect(loadConfig({}).dataKey).toBeNull();
    expect(() => loadConfig({ ONETHING_DATA_KEY: '0011' })).toThrow(/ONETHING_DATA_KEY/);
  });

  it('uses ONETHING_DATA_KEY when it is set', () => {
    const key = Buffer.alloc(16, 7);
    const resolved = resolveDataKey({
      config: { ...base, dataKey: key },
      kind: 'postgres',
      nodeEnv: 'production',
      cwd: dir,
    });
    expect(resolved).toMatchObject({ origin: 'setting', file: null });
    expect(resolved.key.equals(key)).toBe(true);
  });

  it('generates a key once beside a PGlite data folder, readable by its owner only', () => {
    const first = resolveDataKey({ config: base, kind: 'pglite', nodeEnv: 'production', cwd: dir });
    expect(first.origin).toBe('generated');
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    const again = resolveDataKey({ config: base, kind: 'pglite', nodeEnv: 'production', cwd: dir });
    expect(again.origin).toBe('file');
    expect(again.key.equals(first.key)).toBe(true);
  });

  it('refuses to start with PostgreSQL in production without a key', () => {
    expect(() =>
      resolveDataKey({ config: base, kind: 'postgres', nodeEnv: 'production', cwd: dir }),
    ).toThrow(/ONETHING_DATA_KEY is required/);
  });

  it('uses a development key file with PostgreSQL outside production, with a warning', () => {
    const resolved = resolveDataKey({
      config: base,
      kind: 'postgres',
      nodeEnv: 'development',
      cwd: dir,
    });
    expect(resolved.file).toBe(path.join(dir, '.data', 'onething-data-key'));
    expect(resolved.warning).toMatch(/ONETHING_DATA_KEY is not set/);
    expect(readFileSync(resolved.file!, 'utf8').trim()).toBe(resolved.key.toString('hex'));
  });

  it('refuses a key file that holds something else', () => {
    const file = path.join(dir, 'bad');
    writeFileSync(`${file}.key`, 'not a key');
    expect(() =>
      resolveDataKey({
        config: { ...base, dataDir: file },
        kind: 'pglite',
        nodeEnv: undefined,
        cwd: dir,
      }),
    ).toThrow(/does not hold a data key/);
  });
});
