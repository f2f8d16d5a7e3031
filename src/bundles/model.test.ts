import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureBundle } from '../../test/support/bundles';
import { checkBundle, guideBundle, splitFormData, topologicalOrder } from './model';
import type { BundleContent } from './schema';

const rules = (problems: { rule: string; severity: string }[]) =>
  problems.filter((p) => p.severity === 'error').map((p) => p.rule);

function edit(change: (b: BundleContent) => void) {
  const { bundle, items } = fixtureBundle();
  const copy = structuredClone(bundle);
  change(copy);
  return checkBundle(copy, items);
}

describe('static checks', () => {
  it('pass for a sound bundle, without warnings', () => {
    const { bundle, items } = fixtureBundle();
    expect(checkBundle(bundle, items)).toEqual([]);
  });

  it('refuse a shape that is not a bundle, naming the field', () => {
    const problems = checkBundle({ code: 'x' }, new Map(), 'content');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.path).toMatch(/^content/);
  });

  it('find a cycle in the dependency graph and name it', () => {
    const problems = edit((b) => (b.members[0]!.after = ['file']));
    const cycle = problems.find((p) => p.rule === 'cycle')!;
    expect(cycle.message.en).toContain('register → file → register');
  });

  it('find dependencies on members that do not exist, and self-dependencies', () => {
    expect(rules(edit((b) => (b.members[1]!.after = ['nobody'])))).toContain('exists');
    expect(rules(edit((b) => (b.members[1]!.after = ['file'])))).toContain('cycle');
  });

  it('find an optional member that no answer adds (unreachable)', () => {
    expect(rules(edit((b) => (b.situations[1]!.answers[1]!.addMembers = [])))).toContain(
      'reachable',
    );
  });

  it('find a member item question the bundle never answers', () => {
    // Only one answer sets it: the other leaves the item's question open.
    const problems = edit((b) => delete b.situations[0]!.answers[0]!.set['file.agent']);
    expect(rules(problems)).toContain('answered');
  });

  it('find answers that point at unknown members, questions or answers', () => {
    expect(
      rules(edit((b) => (b.situations[0]!.answers[0]!.set['nobody.agent'] = ['x']))),
    ).toContain('exists');
    expect(
      rules(edit((b) => (b.situations[0]!.answers[0]!.set['register.agent'] = ['maybe']))),
    ).toContain('exists');
  });

  it('find a required member field that the merged form does not feed', () => {
    const problems = edit((b) => (b.form = b.form.filter((f) => f.key !== 'applicant-id')));
    expect(problems.find((p) => p.rule === 'fed')?.message.zh).toContain('申请人身份证号码');
  });

  it('find a merged field that does not fit the member field', () => {
    const problems = edit((b) => {
      b.form[0] = { ...b.form[0]!, identifierKind: 'uscc' };
    });
    expect(rules(problems)).toContain('compatible');
  });

  it('find a member material missing from the merged list, and one listed twice', () => {
    expect(rules(edit((b) => b.materials.pop()))).toContain('listed');
    const twice = edit((b) => b.materials.push({ ...b.materials[0]!, key: 'id-card-again' }));
    expect(rules(twice)).toContain('asked_twice');
  });

  it('allow 容缺 only where every member allows it', () => {
    expect(rules(edit((b) => (b.materials[0]!.deficiencyAllowed = true)))).toContain('deficiency');
  });

  it('compare the critical path with the commitment: 1 hour promised, days needed', () => {
    const problems = edit((b) => (b.commitment.limit = { value: 1, unit: 'hours' }));
    const flagged = problems.find((p) => p.rule === 'critical_path')!;
    // Through an agent every item takes 2 working days: register, then file (or subsidy).
    expect(flagged.message.en).toContain('(register → file) needs 4 working days');
  });

  it('compare member fees with a zero-cost commitment', () => {
    const { bundle, items } = fixtureBundle();
    const charged = new Map(items);
    charged.set('TEST-0002', {
      ...items.get('TEST-0002')!,
      fee: { charged: true, basis: '收费依据', amountYuan: 50 },
    });
    expect(rules(checkBundle(bundle, charged))).toContain('cost');
  });
  it('count only the answers a member can get: fixed answers drop what they exclude', () => {
    const { bundle, items } = fixtureBundle();
    const fixed = structuredClone(bundle);
    // Nobody applies through an agent: the item questions are fixed, the bundle question goes.
    fixed.situations = [fixed.situations[1]!];
    for (const m of fixed.members) m.answers = { agent: ['self'] };
    fixed.form = fixed.form.filter((f) => f.key !== 'agent-id');
    fixed.materials = fixed.materials.filter((m) => m.key !== 'power-of-attorney');
    fixed.commitment.limit = { value: 2, unit: 'workdays' };
    expect(checkBundle(fixed, items)).toEqual([]);
  });

  it('let a result of an earlier member provide a material or fill a field, for later ones only', () => {
    const { bundle, items } = fixtureBundle();
    const withResult = structuredClone(bundle);
    withResult.materials[1] = {
      ...withResult.materials[1]!,
      provision: 'result',
      from: 'register',
    };
    // The registration itself needs the power of attorney too: it cannot come from its own result.
    const own = checkBundle(withResult, items).filter((p) => p.rule === 'result_source');
    expect(own.map((p) => p.message.en)).toEqual([
      '"Power of attorney" comes from the result of register, but register does not wait for register',
    ]);
    withResult.members[0]!.materials = { 'power-of-attorney': 'attorney-for-register' };
    withResult.materials.push({
      ...bundle.materials[1]!,
      key: 'attorney-for-register',
      name: { zh: '登记授权委托书', en: 'Power of attorney for the registration' },
    });
    expect(rules(checkBundle(withResult, items))).toEqual([]);
    const guide = guideBundle(withResult, items, { agent: ['agent'], subsidy: ['no'] });
    expect(guide.materials.find((m) => m.key === 'power-of-attorney')!.provision).toBe('result');

    const filled = structuredClone(bundle);
    filled.form[0] = { ...filled.form[0]!, filledBy: 'file' };
    expect(rules(checkBundle(filled, items))).toContain('result_source');
  });
});

describe('guide', () => {
  const { bundle, items } = fixtureBundle();

  it('lists what applies with why, and asks for open questions', () => {
    const open = guideBundle(bundle, items, {});
    expect(open.complete).toBe(false);
    expect(open.problems.map((p) => p.path)).toEqual(['answers.agent', 'answers.subsidy']);

    const guide = guideBundle(bundle, items, { agent: ['agent'], subsidy: ['yes'] });
    expect(guide.complete).toBe(true);
    expect(guide.items.map((i) => i.member)).toEqual(['register', 'file', 'subsidy']);
    expect(guide.items[2]!.reason).toMatchObject({
      always: false,
      because: [{ situation: 'subsidy', answer: 'yes' }],
    });
    const attorney = guide.materials.find((m) => m.key === 'power-of-attorney')!;
    expect(attorney.usedBy.map((u) => u.member)).toEqual(['register', 'file', 'subsidy']);
    expect(attorney.reason.because).toEqual([
      { situation: 'agent', answer: 'agent', label: { zh: '委托', en: 'Through an agent' } },
    ]);
    // Asked once although three items need it.
    expect(guide.materials).toHaveLength(2);
    expect(guide.separately.materials).toBe(6);
    expect(guide.fields.map((f) => f.key)).toEqual(['applicant-id', 'agent-id']);
  });

  it('computes the critical path through the members that apply', () => {
    const self = guideBundle(bundle, items, { agent: ['self'], subsidy: ['no'] });
    expect(self.items.map((i) => i.member)).toEqual(['register', 'file']);
    expect(self.completion).toMatchObject({
      hours: 14,
      criticalPath: ['register', 'file'],
      withinCommitment: true,
    });
    expect(self.completion.description.zh).toBe('2个工作日');
    const agent = guideBundle(bundle, items, { agent: ['agent'], subsidy: ['yes'] });
    expect(agent.completion.hours).toBe(28);
    expect(agent.items.find((i) => i.member === 'subsidy')).toMatchObject({
      startsAfterHours: 14,
      finishesAfterHours: 28,
    });
  });

  it('lets a member that waits for a removed one wait for what that one waited for', () => {
    const chain = structuredClone(bundle);
    chain.members[1]!.optional = true;
    chain.members[2]!.after = ['file'];
    chain.situations[1]!.answers[1]!.addMembers = ['subsidy', 'file'];
    chain.situations[1]!.answers[0]!.removeMembers = ['file'];
    chain.situations[1]!.answers[0]!.addMembers = ['subsidy'];
    const guide = guideBundle(chain, items, { agent: ['self'], subsidy: ['no'] });
    expect(guide.items.find((i) => i.member === 'subsidy')!.after).toEqual(['register']);
  });

  it('reports unknown answers and several answers to a single question', () => {
    const guide = guideBundle(bundle, items, { agent: ['self', 'agent'], subsidy: ['perhaps'] });
    expect(guide.problems.map((p) => p.rule).sort()).toEqual(['enum', 'single']);
  });

  it('does not ask for a field that a result fills, nor check it at intake', () => {
    const filled = structuredClone(bundle);
    filled.form.push({
      key: 'register-no',
      label: { zh: '登记编号', en: 'Registration number' },
      type: 'text',
      required: true,
      filledBy: 'register',
    });
    const withField = new Map(items);
    const file = items.get('TEST-0002')!;
    withField.set('TEST-0002', {
      ...file,
      form: [
        ...file.form,
        {
          key: 'register-no',
          label: { zh: '登记编号', en: 'Registration number' },
          type: 'text',
          required: true,
        },
      ],
    });
    expect(rules(checkBundle(filled, withField))).toEqual([]);
    const guide = guideBundle(filled, withField, { agent: ['self'], subsidy: ['no'] });
    expect(guide.fields.find((f) => f.key === 'register-no')).toMatchObject({
      required: false,
      filledBy: 'register',
    });
    const split = splitFormData(filled, guide, withField, { 'applicant-id': '11010519491231002X' });
    expect(split.problems).toEqual([]);

    // Filled by an optional member that does not apply: then the applicant is asked for it.
    filled.members[1]!.after = ['subsidy'];
    filled.form.at(-1)!.filledBy = 'subsidy';
    filled.commitment.limit = { value: 6, unit: 'workdays' };
    expect(rules(checkBundle(filled, withField))).toEqual([]);
    const without = guideBundle(filled, withField, { agent: ['self'], subsidy: ['no'] });
    expect(without.fields.find((f) => f.key === 'register-no')).toMatchObject({ required: true });
    expect(without.fields.find((f) => f.key === 'register-no')!.filledBy).toBeUndefined();
    const missing = splitFormData(filled, without, withField, {
      'applicant-id': '11010519491231002X',
    });
    expect(missing.problems).toEqual([
      expect.objectContaining({ path: 'data.register-no', rule: 'required' }),
    ]);
  });

  it('splits the merged form into each member item data and checks it', () => {
    const guide = guideBundle(bundle, items, { agent: ['self'], subsidy: ['yes'] });
    const bad = splitFormData(bundle, guide, items, { 'applicant-id': '123' });
    expect(bad.problems[0]).toMatchObject({ path: 'data.applicant-id' });
    const good = splitFormData(bundle, guide, items, { 'applicant-id': '11010519491231002X' });
    expect(good.problems).toEqual([]);
    expect(Object.keys(good.byMember)).toEqual(['register', 'file', 'subsidy']);
    expect(good.byMember.subsidy).toEqual({ 'applicant-id': '11010519491231002X' });
  });
});

describe('dependency order', () => {
  it('puts every member after those it waits for, in any acyclic graph', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(30), { maxLength: 4 }), { minLength: 1, maxLength: 30 }),
        (edges) => {
          // Member i may wait only for members with a smaller index: acyclic by construction.
          const members = edges.map((after, i) => ({
            key: `m${i}`,
            after: i === 0 ? [] : [...new Set(after.map((a) => `m${a % i}`))],
          }));
          const shuffled = [...members].reverse();
          const { order, cycle } = topologicalOrder(shuffled);
          expect(cycle).toEqual([]);
          const position = new Map(order.map((k, i) => [k, i]));
          for (const m of members) {
            for (const a of m.after) expect(position.get(a)!).toBeLessThan(position.get(m.key)!);
          }
        },
      ),
    );
  });
});
