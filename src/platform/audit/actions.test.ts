import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/db';
import { seedDemoData } from '../../server';
import type { Db } from '../db/database';
import {
  AUDIT_ACTIONS,
  AUDIT_MODULES,
  AUDIT_OBJECT_TYPES,
  auditActionLabel,
  auditModuleLabel,
  auditModuleOf,
  auditObjectTypeLabel,
  isAuditAction,
} from './actions';

const CODE = /^[a-z]+\.[a-z0-9_]+$/;

describe('the labels of audit actions and object types', () => {
  it('gives every action a code of module and name, and a zh and an en label', () => {
    for (const [code, label] of Object.entries(AUDIT_ACTIONS)) {
      expect(code).toMatch(CODE);
      expect(label.zh.trim(), code).not.toBe('');
      expect(label.en.trim(), code).not.toBe('');
    }
  });

  it('gives every object type a zh and an en label', () => {
    for (const [type, label] of Object.entries(AUDIT_OBJECT_TYPES)) {
      expect(type).toMatch(/^[a-z0-9_]+$/);
      expect(label.zh.trim(), type).not.toBe('');
      expect(label.en.trim(), type).not.toBe('');
    }
  });

  it("labels every action's module, and no module without actions", () => {
    const used = new Set(Object.keys(AUDIT_ACTIONS).map((code) => auditModuleOf(code)));
    for (const prefix of used) {
      expect(prefix, `module of ${[...used].join(', ')}`).not.toBeNull();
      expect(auditModuleLabel(prefix!), prefix!).not.toBeNull();
    }
    expect(Object.keys(AUDIT_MODULES).sort()).toEqual([...used].sort());
    for (const [prefix, label] of Object.entries(AUDIT_MODULES)) {
      expect(prefix).toMatch(/^[a-z]+\.$/);
      expect(label.zh.trim(), prefix).not.toBe('');
      expect(label.en.trim(), prefix).not.toBe('');
    }
  });

  it('labels two actions of one module differently', () => {
    const seen = new Map<string, string>();
    for (const [code, label] of Object.entries(AUDIT_ACTIONS)) {
      const key = `${auditModuleOf(code)} ${label.zh}`;
      expect(seen.get(key), `${code} and ${seen.get(key)} read the same`).toBeUndefined();
      seen.set(key, code);
    }
  });

  it('reads a known action by its label', () => {
    expect(isAuditAction('auth.signed_in')).toBe(true);
    expect(auditActionLabel('auth.signed_in')).toEqual({ zh: '登录', en: 'Signed in' });
    expect(auditObjectTypeLabel('application')).toEqual({ zh: '申请', en: 'Application' });
  });

  it("reads an older version's action by its module's label and its code", () => {
    expect(isAuditAction('cases.retired_step')).toBe(false);
    expect(auditActionLabel('cases.retired_step')).toEqual({
      zh: '受理审批：cases.retired_step',
      en: 'Intake and review: cases.retired_step',
    });
  });

  it('reads an action of no known module, or of none, as its code', () => {
    expect(auditActionLabel('widget.created')).toEqual({
      zh: 'widget.created',
      en: 'widget.created',
    });
    expect(auditActionLabel('nodot')).toEqual({ zh: 'nodot', en: 'nodot' });
    expect(auditModuleOf('.x')).toBeNull();
    // Names on Object.prototype are not labels.
    expect(isAuditAction('constructor')).toBe(false);
    expect(auditModuleLabel('toString')).toBeNull();
    expect(auditObjectTypeLabel('constructor')).toEqual({ zh: 'constructor', en: 'constructor' });
    expect(auditObjectTypeLabel('gadget')).toEqual({ zh: 'gadget', en: 'gadget' });
  });
});

describe('the labels of what the demo platform writes to its audit log', () => {
  let db: Db;

  beforeAll(async () => {
    db = await createTestDb();
    await seedDemoData(db);
  }, 120_000);
  afterAll(() => db?.close());

  it('has a label for every action and object type in the log', async () => {
    const actions = await db.kysely.selectFrom('auditLog').select('action').distinct().execute();
    const types = await db.kysely.selectFrom('auditLog').select('objectType').distinct().execute();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.map((row) => row.action).filter((code) => !isAuditAction(code))).toEqual([]);
    expect(
      types.map((row) => row.objectType).filter((type) => !Object.hasOwn(AUDIT_OBJECT_TYPES, type)),
    ).toEqual([]);
  });
});
