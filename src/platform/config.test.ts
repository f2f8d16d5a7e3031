import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('configuration from the environment', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      memory: false,
      businessHours: [
        ['09:00', '12:00'],
        ['13:00', '17:00'],
      ],
    });
    expect(config.dataDir).toMatch(/\.data\/pglite$/);
  });

  it('reads every documented variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://u@h/db',
        ONETHING_DATA_DIR: '/var/lib/onething',
        ONETHING_BUSINESS_HOURS: '08:30-12:00, 14:00-17:30',
      },
      ['--memory'],
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@h/db',
      dataDir: '/var/lib/onething',
      memory: true,
      businessHours: [
        ['08:30', '12:00'],
        ['14:00', '17:30'],
      ],
    });
  });

  it('refuses a port or business hours it cannot use, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ONETHING_BUSINESS_HOURS: '17:00-09:00' })).toThrow(
      /ONETHING_BUSINESS_HOURS/,
    );
  });

  it('runs the event and outbox workers every 5 s unless told otherwise (0 turns them off)', () => {
    expect(loadConfig({}).outboxSeconds).toBe(5);
    expect(loadConfig({ ONETHING_OUTBOX_SECONDS: '0' }).outboxSeconds).toBe(0);
    expect(loadConfig({ ONETHING_OUTBOX_SECONDS: '30' }).outboxSeconds).toBe(30);
    expect(() => loadConfig({ ONETHING_OUTBOX_SECONDS: '-1' })).toThrow(/ONETHING_OUTBOX_SECONDS/);
  });

  it('warns in the last fifth of a committed limit unless told another share in (0, 1)', () => {
    expect(loadConfig({}).slaWarnFraction).toBe(0.2);
    expect(loadConfig({ ONETHING_SLA_WARN_FRACTION: '0.25' }).slaWarnFraction).toBe(0.25);
    for (const bad of ['0', '1', '-0.1', 'x']) {
      expect(() => loadConfig({ ONETHING_SLA_WARN_FRACTION: bad })).toThrow(
        /ONETHING_SLA_WARN_FRACTION/,
      );
    }
  });

  it('seeds the demo unless ONETHING_DEMO is off, and refuses any other value', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ ONETHING_DEMO: 'on' }).demo).toBe(true);
    expect(loadConfig({ ONETHING_DEMO: 'off' }).demo).toBe(false);
    expect(loadConfig({ ONETHING_DEMO: ' OFF ' }).demo).toBe(false);
    for (const bad of ['no', '0', 'false', 'demo']) {
      expect(() => loadConfig({ ONETHING_DEMO: bad })).toThrow(
        /ONETHING_DEMO must be "on" or "off"/,
      );
    }
  });
});
