// Rotating the data key: values sealed under the earlier key (ONETHING_DATA_KEY_PREVIOUS) still
// open and are still found, while new values are sealed under the new key.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import {
  blindIndex,
  blindIndexForms,
  configureDataKey,
  lookupForms,
  open,
  seal,
  sealLookup,
  useDataKey,
} from '.';

const keyIdOf = (sealed: string) => sealed.split(':')[2];

describe('data key rotation', () => {
  it('opens and finds what the previous key sealed, and seals anew with the new key', () => {
    const before = randomBytes(16);
    const after = randomBytes(16);
    useDataKey(before);
    const mobile = seal('13906310009');
    const ric = sealLookup('371002199001011234');
    const index = blindIndex('13906310009');

    const config = loadConfig({
      ONETHING_DATA_KEY: after.toString('hex'),
      ONETHING_DATA_KEY_PREVIOUS: `${randomBytes(16).toString('hex')}, ${before.toString('hex')}`,
    });
    expect(config.previousDataKeys).toHaveLength(2);
    configureDataKey(config, 'postgres');

    expect(open(mobile)).toBe('13906310009');
    expect(open(ric)).toBe('371002199001011234');
    const fresh = seal('13906310009');
    expect(keyIdOf(fresh)).not.toBe(keyIdOf(mobile));
    // lookups try the key in use first, then the earlier ones
    const forms = lookupForms('371002199001011234');
    expect(forms[1]).toBe(sealLookup('371002199001011234'));
    expect(forms).toContain(ric);
    const indexes = blindIndexForms('13906310009');
    expect(indexes[0]).toBe(blindIndex('13906310009'));
    expect(indexes[0]).not.toBe(index);
    expect(indexes).toContain(index);
  });

  it('refuses a previous key that is not 32 hex digits, naming the setting', () => {
    expect(() => loadConfig({ ONETHING_DATA_KEY_PREVIOUS: 'abc' })).toThrow(
      /ONETHING_DATA_KEY_PREVIOUS must be 32 hex digits/,
    );
    expect(loadConfig({}).previousDataKeys).toEqual([]);
  });
});
