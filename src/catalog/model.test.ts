import { describe, expect, it } from 'vitest';
import { fixtureItem } from '../../test/support/catalog';
import { applySituations, checkItem, describeLimit, limitInHours, validateFormData } from './model';

describe('the rules of a service item', () => {
  it('accepts a complete item', () => {
    expect(checkItem(fixtureItem())).toEqual([]);
  });

  it('refuses a committed limit longer than the statutory one, across units', () => {
    const days = checkItem(
      fixtureItem('T-000001', {
        statutoryLimit: { value: 5, unit: 'workdays' },
        committedLimit: { value: 6, unit: 'workdays' },
      }),
    );
    expect(days).toEqual([
      expect.objectContaining({ path: 'committedLimit', rule: 'within_statutory' }),
    ]);
    const hours = checkItem(
      fixtureItem('T-000001', {
        statutoryLimit: { value: 1, unit: 'workdays' },
        committedLimit: { value: 8, unit: 'hours' },
      }),
    );
    expect(hours[0]?.rule).toBe('within_statutory');
    expect(
      checkItem(
        fixtureItem('T-000001', {
          statutoryLimit: { value: 2, unit: 'workdays' },
          committedLimit: { value: 1, unit: 'hours' },
        }),
      ),
    ).toEqual([]);
  });

  it('asks for the reason of every visit in person and for the details of a fee', () => {
    const problems = checkItem(
      fixtureItem('T-000001', { visits: 1, fee: { charged: true } }),
      'items.0',
    );
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ['items.0.visitsReason', 'required_when_visits'],
      ['items.0.fee', 'fee_details'],
    ]);
  });

  it('names the field and rule of a shape error, with unknown fields refused', () => {
    const item = { ...fixtureItem(), onlineDepth: 9, color: 'red' };
    const problems = checkItem(item, 'body');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'body.onlineDepth', rule: 'maximum' }),
        expect.objectContaining({ path: 'body.color', rule: 'additionalProperties' }),
      ]),
    );
  });

  it('refuses situations that point at missing materials or fields, and unreachable conditional ones', () => {
    const item = fixtureItem();
    item.situations[0]!.answers[1]!.addMaterials = ['no-such-material'];
    item.situations[0]!.answers[1]!.addFields = [];
    const problems = checkItem(item);
    expect(problems.map((p) => [p.path, p.rule])).toEqual(
      expect.arrayContaining([
        ['situations.0.answers.1.addMaterials.0', 'exists'],
        ['materials.1.requirement', 'reachable'],
        ['form.1.conditional', 'reachable'],
      ]),
    );
  });

  it('refuses duplicate keys and incomplete typed fields', () => {
    const item = fixtureItem();
    item.materials.push({ ...item.materials[0]! });
    item.form.push({
      key: 'kind',
      label: { zh: '类型', en: 'Kind' },
      type: 'choice',
      required: true,
    });
    const rules = checkItem(item).map((p) => `${p.path}:${p.rule}`);
    expect(rules).toContain('materials.2.key:unique');
    expect(rules).toContain('form.2.options:required_for_choice');
  });

  it('compares and describes limits in working hours and days', () => {
    expect(limitInHours({ value: 2, unit: 'workdays' })).toBe(14);
    expect(describeLimit({ value: 1, unit: 'hours' })).toEqual({
      zh: '1个工作小时',
      en: '1 working hour',
    });
  });
});

describe('situations decide what applies', () => {
  it('asks only the required materials and fields when applying in person', () => {
    const applicable = applySituations(fixtureItem(), { agent: ['self'] });
    expect(applicable.problems).toEqual([]);
    expect(applicable.materials.map((m) => m.key)).toEqual(['id-card']);
    expect(applicable.fields.map((f) => f.key)).toEqual(['applicant-id']);
    expect(applicable.committedLimit).toEqual({ value: 1, unit: 'workdays' });
  });

  it('adds the agent’s material, field and longer limit, and says why', () => {
    const applicable = applySituations(fixtureItem(), { agent: ['agent'] });
    expect(applicable.materials.map((m) => m.key)).toEqual(['id-card', 'power-of-attorney']);
    expect(applicable.materials[1]!.reason).toMatchObject({
      always: false,
      because: [{ situation: 'agent', answer: 'agent' }],
    });
    expect(applicable.fields.map((f) => f.key)).toEqual(['applicant-id', 'agent-id']);
    expect(applicable.committedLimit).toEqual({ value: 2, unit: 'workdays' });
  });

  it('reports unanswered questions, unknown answers and two answers to a single-choice question', () => {
    expect(applySituations(fixtureItem(), {}).problems[0]).toMatchObject({
      path: 'answers.agent',
      rule: 'required',
    });
    expect(applySituations(fixtureItem(), { agent: ['nope'] }).problems[0]?.rule).toBe('enum');
    expect(applySituations(fixtureItem(), { agent: ['self', 'agent'] }).problems[0]?.rule).toBe(
      'single',
    );
  });
});

describe('form data is checked with the platform validators', () => {
  const fields = fixtureItem().form;

  it('accepts a valid resident ID and refuses a bad one with its reason', () => {
    expect(validateFormData(fields.slice(0, 1), { 'applicant-id': '44011320141005001X' })).toEqual(
      [],
    );
    expect(validateFormData(fields.slice(0, 1), { 'applicant-id': '440113201410050010' })).toEqual([
      expect.objectContaining({ path: 'data.applicant-id', rule: 'checksum' }),
    ]);
  });

  it('refuses a missing required field, a bad date, a number out of range and a wrong choice', () => {
    const problems = validateFormData(
      [
        { key: 'a', label: { zh: '甲', en: 'A' }, type: 'text', required: true },
        { key: 'd', label: { zh: '日期', en: 'Date' }, type: 'date', required: true },
        { key: 'n', label: { zh: '人数', en: 'Staff' }, type: 'number', required: true, min: 1 },
        {
          key: 'c',
          label: { zh: '类型', en: 'Kind' },
          type: 'choice',
          required: true,
          options: [{ value: 'x', label: { zh: 'X', en: 'X' } }],
        },
      ],
      { d: '2026-02-30', n: 0, c: 'y' },
    );
    expect(problems.map((p) => `${p.path}:${p.rule}`)).toEqual([
      'data.a:required',
      'data.d:format',
      'data.n:minimum',
      'data.c:enum',
    ]);
  });

  it('checks a table row by row', () => {
    const table = {
      key: 'shareholders',
      label: { zh: '股东', en: 'Shareholders' },
      type: 'table' as const,
      required: true,
      columns: [
        { key: 'name', label: { zh: '姓名', en: 'Name' }, type: 'text' as const, required: true },
        {
          key: 'uscc',
          label: { zh: '统一社会信用代码', en: 'USCC' },
          type: 'identifier' as const,
          identifierKind: 'uscc' as const,
          required: false,
        },
      ],
    };
    const problems = validateFormData([table], {
      shareholders: [{ name: '甲' }, { uscc: '91110000600037341N' }],
    });
    expect(problems.map((p) => `${p.path}:${p.rule}`)).toEqual([
      'data.shareholders.1.name:required',
      'data.shareholders.1.uscc:checksum',
    ]);
  });
});
