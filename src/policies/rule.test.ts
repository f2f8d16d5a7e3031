import { describe, expect, it } from 'vitest';
import { checkRule, isDate, wholeYears, yearsCutoff, dayNumber, type Rule } from './rule';

const paths = (rule: unknown) => checkRule(rule).map((p) => `${p.path}:${p.rule}`);

describe('checkRule', () => {
  it('accepts a valid rule with every kind of attribute', () => {
    const rule: Rule = {
      all: [
        { attr: 'region', op: 'within', value: '371000' },
        { attr: 'kind', op: 'eq', value: 'enterprise' },
        { attr: 'industry', op: 'prefix', value: ['C39', 'I65'] },
        { attr: 'size', op: 'in', value: ['micro', 'small'] },
        { attr: 'foundedOn', op: 'between', value: ['2015-01-01', '2024-12-31'] },
        { attr: 'ageYears', op: 'gte', value: 2 },
        { attr: 'revenue', op: 'lt', value: 2000 },
        { attr: 'employees', op: 'between', value: [10, 300] },
        { attr: 'creditGrade', op: 'atLeast', value: 'B' },
        {
          any: [
            { attr: 'licences', op: 'has', value: 'gxjsqy' },
            { not: { attr: 'tags', op: 'hasAny', value: ['失信'] } },
          ],
        },
      ],
    };
    expect(checkRule(rule)).toEqual([]);
  });

  it('names the path of an unknown attribute, a wrong op and a wrong value', () => {
    const problems = checkRule({
      all: [
        { attr: 'colour', op: 'eq', value: 'red' },
        { attr: 'revenue', op: 'prefix', value: 'C' },
        { attr: 'revenue', op: 'lt', value: '2000' },
        { attr: 'creditGrade', op: 'in', value: ['A', 'E'] },
        { attr: 'foundedOn', op: 'before', value: '2023-02-30' },
        { attr: 'employees', op: 'between', value: [300, 10] },
      ],
    });
    expect(problems.map((p) => `${p.path}:${p.rule}`)).toEqual([
      'rule.all.0.attr:enum',
      'rule.all.1.op:enum',
      'rule.all.2.value:value',
      'rule.all.3.value:value',
      'rule.all.4.value:value',
      'rule.all.5.value:value',
    ]);
    expect(problems[0]!.message.zh).toContain('未知属性 colour');
    expect(problems[1]!.message.en).toBe(
      'attribute revenue does not allow op prefix; allowed: lt, lte, gt, gte, between',
    );
    expect(problems[5]!.message.en).toBe('the low end must not exceed the high end');
  });

  it('refuses empty groups, mixed shapes, missing values and unknown fields', () => {
    expect(paths({ all: [] })).toEqual(['rule.all:minItems']);
    expect(paths({ any: [{ all: [] }] })).toEqual(['rule.any.0.all:minItems']);
    expect(paths({ all: [{ attr: 'kind', op: 'eq' }], any: [] })).toEqual(['rule:shape']);
    expect(paths({ not: { attr: 'kind', op: 'eq' } })).toEqual(['rule.not.value:required']);
    expect(paths({ attr: 'kind', op: 'eq', value: 'person', note: 1 })).toEqual([
      'rule.note:additionalProperties',
    ]);
    expect(paths('kind = person')).toEqual(['rule:type']);
  });

  it('limits the depth to 8 levels and the conditions to 50', () => {
    let deep: Rule = { attr: 'kind', op: 'eq', value: 'person' };
    for (let i = 0; i < 7; i++) deep = { not: deep };
    expect(checkRule(deep)).toEqual([]);
    expect(paths({ not: deep })).toEqual(['rule.not.not.not.not.not.not.not.not:maxDepth']);
    const many = (n: number) => ({
      any: Array.from({ length: n }, (_, i) => ({ attr: 'employees', op: 'gte', value: i })),
    });
    expect(checkRule(many(50))).toEqual([]);
    expect(paths(many(51))).toEqual(['rule:maxConditions']);
  });
});

describe('dates and whole years', () => {
  it('checks calendar dates', () => {
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2023-02-29')).toBe(false);
    expect(isDate('2023-13-01')).toBe(false);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('0050-01-01')).toBeLessThan(dayNumber('1950-01-01'));
  });

  it('counts whole years the way the cutoff does, Feb 29 included', () => {
    expect(wholeYears('2024-02-29', '2025-02-28')).toBe(0);
    expect(wholeYears('2024-02-29', '2025-03-01')).toBe(1);
    expect(yearsCutoff('2028-02-29', 1)).toBe(dayNumber('2027-02-28'));
    expect(yearsCutoff('2025-06-30', 18)).toBe(dayNumber('2007-06-30'));
  });
});
