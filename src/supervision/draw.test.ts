import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../platform/audit';
import { AppError } from '../platform/http/errors';
import {
  checkDrawInputs,
  choosePositions,
  commitSeed,
  digestInputs,
  digestMatchesBody,
  drawPlan,
  generateSeed,
  prngFor,
  tierQuota,
  verifyCommitment,
  verifyDraw,
  type DrawInputs,
  type DrawInspector,
  type DrawResult,
} from './draw';

const SEED = '00112233445566778899aabbccddeeff';
const OTHER_SEED = 'ffeeddccbbaa99887766554433221100';

/** 100 targets: 10 A, 20 B, 30 C, 40 D; 8 inspectors, some with conflicts. */
function sampleInputs(): DrawInputs {
  const tiers = [
    ...Array<string>(10).fill('A'),
    ...Array<string>(20).fill('B'),
    ...Array<string>(30).fill('C'),
    ...Array<string>(40).fill('D'),
  ];
  return {
    targets: tiers.map((tier, i) => ({ id: `ent-${String(i).padStart(3, '0')}`, tier })),
    tierRatios: { A: 0.5, B: 0.25, C: 0.1, D: 0.03 },
    inspectors: Array.from({ length: 8 }, (_, i) => ({
      id: `insp-${i}`,
      departmentCode: i < 4 ? 'SCJG' : 'HBJ',
      conflicts: i < 3 ? ['ent-000', 'ent-001', 'ent-002', `ent-0${i}5`] : [],
    })),
    inspectorsPerTarget: 2,
  };
}

function conflictsOf(inputs: DrawInputs): Set<string> {
  return new Set(inputs.inspectors.flatMap((i) => i.conflicts.map((t) => `${i.id}|${t}`)));
}

/** Throws unless every staffed target has enough distinct, unconflicted inspectors under the caps. */
function assertConstraints(inputs: DrawInputs, result: DrawResult): void {
  const conflicts = conflictsOf(inputs);
  const load = new Map<string, number>();
  for (const { targetId, inspectorIds } of result.selected) {
    expect(new Set(inspectorIds).size).toBe(inputs.inspectorsPerTarget);
    expect(inspectorIds.length).toBe(inputs.inspectorsPerTarget);
    for (const id of inspectorIds) {
      expect(conflicts.has(`${id}|${targetId}`)).toBe(false);
      load.set(id, (load.get(id) ?? 0) + 1);
    }
  }
  for (const count of load.values()) {
    expect(count).toBeLessThanOrEqual(inputs.maxTasksPerInspector ?? Infinity);
  }
  const targets = new Map(inputs.targets.map((t) => [t.id, t.tier]));
  for (const tier of result.perTier) {
    const population = inputs.targets.filter((t) => t.tier === tier.tier).length;
    expect(tier.population).toBe(population);
    expect(tier.drawn).toBe(tierQuota(population, inputs.tierRatios[tier.tier] ?? 0));
    const drawn = [...result.selected, ...result.unassigned].filter((d) => d.tier === tier.tier);
    expect(drawn.length).toBe(tier.drawn);
    for (const d of drawn) expect(targets.get(d.targetId)).toBe(tier.tier);
  }
}

function shuffled<T>(items: readonly T[], seed: string): T[] {
  const rng = prngFor(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = (rng.next() >>> 0) % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('seed commitment', () => {
  it('commits to the SHA-256 of the seed bytes, whatever the case of the hex digits', () => {
    expect(commitSeed(SEED)).toBe(
      'a8faed6abbf35c12a4b26e40f6feb19d736d90045c83b9f9a31f638d323e6811',
    );
    expect(commitSeed('0'.repeat(32))).toBe(
      '374708fff7719dd5979ec875d56cd2286f6d3cf7ec317a3b25632aab28ec37bb',
    );
    expect(commitSeed(SEED.toUpperCase())).toBe(commitSeed(SEED));
  });

  it('accepts the committed seed and refuses any other or a malformed one', () => {
    expect(verifyCommitment(SEED, commitSeed(SEED))).toBe(true);
    expect(verifyCommitment(OTHER_SEED, commitSeed(SEED))).toBe(false);
    expect(verifyCommitment('xyz', commitSeed(SEED))).toBe(false);
  });

  it('generates fresh 256-bit seeds', () => {
    const seed = generateSeed();
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(generateSeed()).not.toBe(seed);
  });

  it('keeps the published commitment apart from the PRNG state', () => {
    const state = prngFor(SEED).getState();
    const words = [0, 8, 16, 24].map((i) => commitSeed(SEED).slice(i, i + 8));
    expect(state.map((w) => (w >>> 0).toString(16).padStart(8, '0'))).not.toEqual(words);
  });
});

describe('tierQuota', () => {
  it.each([
    [100, 0.03, 3],
    [100, 0.07, 7],
    [10, 0.25, 3],
    [40, 0.03, 2],
    [7, 1, 7],
    [7, 0, 0],
    [0, 0.5, 0],
    [1, 0.001, 1],
  ])('draws ⌈ratio × population⌉ of %i at %f: %i', (population, ratio, drawn) => {
    expect(tierQuota(population, ratio)).toBe(drawn);
  });
});

describe('choosePositions', () => {
  it('chooses k distinct positions in range', () => {
    const chosen = choosePositions(prngFor(SEED), 1000, 300);
    expect(new Set(chosen).size).toBe(300);
    for (const p of chosen) expect(p >= 0 && p < 1000).toBe(true);
    expect([...choosePositions(prngFor(SEED), 5, 5)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('chooses every position about equally often', () => {
    const counts = new Array<number>(10).fill(0);
    const rng = prngFor(SEED);
    for (let run = 0; run < 20_000; run++) {
      for (const p of choosePositions(rng, 10, 3)) counts[p] = (counts[p] as number) + 1;
    }
    // 6,000 expected each; five standard deviations is about 320.
    for (const count of counts) expect(Math.abs(count - 6000)).toBeLessThan(320);
  });
});

describe('drawPlan', () => {
  it('gives the same result for the same inputs and seed', () => {
    const first = drawPlan(sampleInputs(), SEED);
    expect(drawPlan(sampleInputs(), SEED)).toEqual(first);
    expect(first.seedHash).toBe(commitSeed(SEED));
    expect(first.inputsDigest).toBe(digestInputs(sampleInputs()));
  });

  it('does not depend on the order of targets, inspectors or conflicts', () => {
    const inputs = sampleInputs();
    const reordered: DrawInputs = {
      ...inputs,
      targets: shuffled(inputs.targets, OTHER_SEED),
      inspectors: shuffled(inputs.inspectors, OTHER_SEED).map((i) => ({
        ...i,
        conflicts: [...i.conflicts].reverse(),
      })),
    };
    expect(drawPlan(reordered, SEED)).toEqual(drawPlan(inputs, SEED));
  });

  it('selects differently with another seed', () => {
    const ids = (r: DrawResult) => r.selected.map((s) => s.targetId);
    expect(ids(drawPlan(sampleInputs(), OTHER_SEED))).not.toEqual(
      ids(drawPlan(sampleInputs(), SEED)),
    );
  });

  it('draws ⌈ratio × population⌉ per tier and lists the result by tier, then id', () => {
    const result = drawPlan(sampleInputs(), SEED);
    expect(result.perTier).toEqual([
      { drawn: 5, population: 10, tier: 'A' },
      { drawn: 5, population: 20, tier: 'B' },
      { drawn: 3, population: 30, tier: 'C' },
      { drawn: 2, population: 40, tier: 'D' },
    ]);
    const order = result.selected.map((s) => `${s.tier}|${s.targetId}`);
    expect(order).toEqual([...order].sort());
    assertConstraints(sampleInputs(), result);
  });

  it('never assigns an inspector with a declared conflict, and always two distinct', () => {
    const inputs = { ...sampleInputs(), tierRatios: { A: 1, B: 1, C: 1, D: 1 } };
    for (const seed of [SEED, OTHER_SEED, generateSeed()]) {
      const result = drawPlan(inputs, seed);
      expect(result.unassigned).toEqual([]);
      expect(result.selected).toHaveLength(100);
      assertConstraints(inputs, result);
    }
  });

  it('keeps every inspector within the task limit', () => {
    const inputs = { ...sampleInputs(), maxTasksPerInspector: 4 };
    const result = drawPlan(inputs, SEED);
    assertConstraints(inputs, result);
    expect(result.unassigned).toEqual([]);
  });

  it('reports a target with too few inspectors without a conflict instead of throwing', () => {
    const inputs = sampleInputs();
    inputs.tierRatios.A = 1;
    for (const inspector of inputs.inspectors.slice(0, 7)) inspector.conflicts.push('ent-004');
    const result = drawPlan(inputs, SEED);
    expect(result.unassigned).toEqual([
      { eligible: 1, reason: 'too_few_without_conflict', targetId: 'ent-004', tier: 'A' },
    ]);
    expect(result.selected.map((s) => s.targetId)).not.toContain('ent-004');
    expect(result.perTier[0]).toEqual({ drawn: 10, population: 10, tier: 'A' });
    assertConstraints(inputs, result);
  });

  it('reports the targets left over when every inspector has reached the limit', () => {
    const inputs: DrawInputs = {
      targets: ['t1', 't2', 't3', 't4'].map((id) => ({ id, tier: 'high' })),
      tierRatios: { high: 1 },
      inspectors: ['a', 'b', 'c'].map((id) => ({ id, conflicts: [] })),
      inspectorsPerTarget: 2,
      maxTasksPerInspector: 2,
    };
    const result = drawPlan(inputs, SEED);
    expect(result.selected).toHaveLength(3);
    expect(result.unassigned).toHaveLength(1);
    expect(result.unassigned[0]).toMatchObject({ reason: 'inspectors_at_capacity', eligible: 3 });
    assertConstraints(inputs, result);
  });

  it('pins the algorithm: a known seed gives a known digest', () => {
    const result = drawPlan(sampleInputs(), SEED);
    // Changing these values means published draws no longer verify: bump DRAW_ALGORITHM instead.
    expect(result.selected.filter((s) => s.tier === 'D').map((s) => s.targetId)).toEqual([
      'ent-082',
      'ent-099',
    ]);
    expect(result.drawDigest).toBe(
      'e89605c041c5bf232f5ead530860c170eaefd3ce65cc4bdabbeb050cfedb6d82',
    );
  });

  it('writes the canonical JSON, so a stored copy with reordered keys still checks', () => {
    const result = drawPlan(sampleInputs(), SEED);
    expect(digestMatchesBody(result)).toBe(true);
    const reordered = JSON.parse(canonicalJson({ ...result, selected: [...result.selected] }));
    expect(digestMatchesBody(reordered)).toBe(true);
    expect(digestMatchesBody({ ...result, selected: result.selected.slice(1) })).toBe(false);
  });

  it('refuses invalid inputs with a 422 naming each problem', () => {
    const inputs = { ...sampleInputs(), inspectorsPerTarget: 1 };
    try {
      drawPlan(inputs, 'abc');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(422);
      expect((error as AppError).code).toBe('supervision.draw_invalid');
      expect((error as AppError).details.map((d) => d.path)).toEqual([
        'seed',
        'inspectorsPerTarget',
      ]);
    }
  });
});

describe('checkDrawInputs', () => {
  it('finds nothing wrong with sound inputs', () => {
    expect(checkDrawInputs(sampleInputs(), SEED)).toEqual([]);
  });

  it('names the field and rule of every problem, in both languages', () => {
    const inputs = sampleInputs();
    inputs.tierRatios.B = 1.5;
    inputs.tierRatios.C = -0.1;
    inputs.inspectorsPerTarget = 1;
    inputs.maxTasksPerInspector = 0;
    inputs.targets.push({ id: 'ent-007', tier: 'A' }, { id: 'ent-x', tier: 'E' });
    inputs.inspectors.push({ id: 'insp-3', conflicts: [] });
    const problems = checkDrawInputs(inputs, '0123456789abcdef');
    expect(problems.map((p) => `${p.path} ${p.rule}`)).toEqual([
      'seed seed',
      'tierRatios.B ratio',
      'tierRatios.C ratio',
      'inspectorsPerTarget minimum',
      'maxTasksPerInspector minimum',
      'targets[100].id unique',
      'inspectors[8].id unique',
      'targets[101].tier unknown_tier',
    ]);
    for (const p of problems) {
      expect(p.message.zh).not.toBe('');
      expect(p.message.en).not.toBe('');
    }
  });

  it.each([
    ['too short', '0123456789abcdef0123456789abcde'],
    ['odd length', '0123456789abcdef0123456789abcdef0'],
    ['not hex', '0123456789abcdef0123456789abcdeg'],
  ])('refuses a seed that is %s', (_, seed) => {
    expect(checkDrawInputs(sampleInputs(), seed).map((p) => p.path)).toEqual(['seed']);
  });

  it('finds duplicates in input already in id order', () => {
    const inputs = sampleInputs();
    inputs.targets.splice(1, 0, { id: 'ent-000', tier: 'A' });
    expect(checkDrawInputs(inputs).map((p) => p.path)).toEqual(['targets[1].id']);
  });
});

describe('verifyDraw', () => {
  const published = drawPlan(sampleInputs(), SEED);

  it('reproduces a published draw from its inputs and seed', () => {
    expect(verifyDraw(sampleInputs(), SEED, published)).toEqual({
      ok: true,
      seedMatchesCommitment: true,
      digestMatches: true,
      problems: [],
    });
  });

  it('fails when the seed is not the committed one', () => {
    expect(verifyDraw(sampleInputs(), OTHER_SEED, published)).toMatchObject({
      ok: false,
      seedMatchesCommitment: false,
      digestMatches: false,
    });
  });

  it.each<[string, (inputs: DrawInputs) => void]>([
    ['a target changes tier', (i) => void ((i.targets[50] as { tier: string }).tier = 'D')],
    ['a target is added', (i) => void i.targets.push({ id: 'ent-999', tier: 'D' })],
    ['a ratio changes', (i) => void (i.tierRatios.D = 0.05)],
    ['a conflict is declared', (i) => void i.inspectors[7]?.conflicts.push('ent-050')],
    [
      'an inspector moves department',
      (i) => void ((i.inspectors[7] as DrawInspector).departmentCode = 'X'),
    ],
    ['a task limit is set', (i) => void (i.maxTasksPerInspector = 100)],
  ])('fails when %s', (_, change) => {
    const inputs = sampleInputs();
    change(inputs);
    expect(verifyDraw(inputs, SEED, published)).toMatchObject({
      ok: false,
      seedMatchesCommitment: true,
      digestMatches: false,
    });
  });

  it('fails with the problems when the inputs cannot be drawn', () => {
    const result = verifyDraw({ ...sampleInputs(), inspectorsPerTarget: 1 }, SEED, published);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.path)).toEqual(['inspectorsPerTarget']);
  });
});

describe('drawPlan over random inputs', () => {
  const tier = fc.constantFrom('A', 'B', 'C', 'D');
  const ratio = fc.double({ min: 0, max: 1, noNaN: true });
  const scenario = fc
    .record({
      tiers: fc.array(tier, { minLength: 0, maxLength: 60 }),
      inspectorCount: fc.integer({ min: 0, max: 12 }),
      conflictPairs: fc.array(fc.tuple(fc.nat(11), fc.nat(59)), { maxLength: 80 }),
      ratios: fc.tuple(ratio, ratio, ratio, ratio),
      perTarget: fc.integer({ min: 2, max: 4 }),
      cap: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
      seed: fc.uint8Array({ minLength: 16, maxLength: 32 }),
    })
    .map(({ tiers, inspectorCount, conflictPairs, ratios, perTarget, cap, seed }) => {
      const inspectors = Array.from({ length: inspectorCount }, (_, i) => ({
        id: `i${i}`,
        conflicts: conflictPairs.filter(([who]) => who === i).map(([, what]) => `t${what}`),
      }));
      const inputs: DrawInputs = {
        targets: tiers.map((t, i) => ({ id: `t${i}`, tier: t })),
        tierRatios: { A: ratios[0], B: ratios[1], C: ratios[2], D: ratios[3] },
        inspectors,
        inspectorsPerTarget: perTarget,
        ...(cap === undefined ? {} : { maxTasksPerInspector: cap }),
      };
      return { inputs, seed: Buffer.from(seed).toString('hex') };
    });

  it('respects ratios, conflicts, distinctness and caps, whatever the order, reproducibly', () => {
    fc.assert(
      fc.property(scenario, ({ inputs, seed }) => {
        const result = drawPlan(inputs, seed);
        assertConstraints(inputs, result);
        for (const u of result.unassigned) {
          const without = inputs.inspectors.filter((i) => !i.conflicts.includes(u.targetId));
          expect(u.eligible).toBe(without.length);
          const tooFew = without.length < inputs.inspectorsPerTarget;
          expect(u.reason).toBe(tooFew ? 'too_few_without_conflict' : 'inspectors_at_capacity');
          if (inputs.maxTasksPerInspector === undefined) expect(tooFew).toBe(true);
        }
        expect(verifyDraw(inputs, seed, result).ok).toBe(true);
        const reversed = {
          ...inputs,
          targets: [...inputs.targets].reverse(),
          inspectors: [...inputs.inspectors].reverse(),
        };
        expect(drawPlan(reversed, seed).drawDigest).toBe(result.drawDigest);
      }),
      { numRuns: 200 },
    );
  });
});
