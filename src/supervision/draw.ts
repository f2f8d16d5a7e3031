// The auditable random draw of 双随机一公开: which targets a plan inspects, tier by tier, and which
// inspectors go to each. A pure function of published inputs and a seed, so anyone can re-run it.
//
// How a draw is audited:
//   1. Before the draw, the planner publishes `commitSeed(seed)` (SHA-256 of the seed's bytes) and
//      `digestInputs(inputs)`; neither the seed nor the result can then be chosen after the fact.
//   2. The draw runs (`drawPlan`) and its result is published with the seed revealed.
//   3. Anyone re-runs it (`verifyDraw`) and compares one hash, `drawDigest`.
//
// How the draw runs:
//   - Inputs are canonicalised first: targets and inspectors in id order (code-unit order, as
//     PostgreSQL's `collate "C"` for ASCII ids), conflicts as sets, so input order never matters.
//     Targets already in id order — what `order by id` returns — are checked in O(n), not sorted.
//   - The PRNG is pure-rand's xoroshiro128plus, its 128-bit state the first 16 bytes of
//     SHA-256(`PRNG_DOMAIN` ‖ seed bytes) read as four big-endian int32 words. The domain tag keeps
//     the state apart from the published commitment (SHA-256 of the bare seed).
//   - Tiers are drawn in code-unit order of their names. A tier of n targets with ratio r draws
//     k = min(n, ⌈r·n⌉) (with a 1e-9 tolerance, so 0.03 × 100 is 3, not 4) by a partial
//     Fisher–Yates over positions: O(k) draws, no shuffle of the whole tier.
//   - The drawn targets are shuffled (so when caps bite, no tier is served last), then each gets
//     `inspectorsPerTarget` distinct inspectors drawn uniformly among those without a declared
//     conflict with it and under their cap (rejection sampling, falling back to an explicit list).
//     A target that cannot be staffed is reported in `unassigned`, its partial picks released.
import { createHash, randomBytes } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { canonicalJson } from '../platform/audit';
import { AppError, type FieldProblem } from '../platform/http/errors';
import type { UnassignedReason } from './codes';
export { UNASSIGNED_REASONS, type UnassignedReason } from './codes';

/** Version of the algorithm; part of the digest, so a changed algorithm never verifies silently. */
export const DRAW_ALGORITHM = 'onething.supervision.draw/v1';
/** Domain tag hashed before the seed to derive the PRNG state (never the commitment itself). */
export const PRNG_DOMAIN = 'onething.supervision.draw.prng/v1\n';
/** Least seed length: 128 bits, written as 32 hexadecimal digits. */
export const MIN_SEED_HEX_DIGITS = 32;
/** Picks tried at random for one inspector before listing the eligible ones explicitly. */
const REJECTION_TRIES = 32;
/** Tolerance for ratio × population, so binary fractions never round a whole number up. */
const QUOTA_EPSILON = 1e-9;

/** A target of inspection (检查对象) with its risk or credit tier, e.g. `A`…`D` or `low`…`high`. */
export interface DrawTarget {
  id: string;
  tier: string;
}

/** An inspector (执法检查人员) with the targets they declared a conflict of interest with. */
export interface DrawInspector {
  id: string;
  /** Carried for the record; the planner chooses the departments' inspectors before the draw. */
  departmentCode?: string;
  /** Ids of targets the inspector declared a conflict of interest with (回避). */
  conflicts: string[];
}

/** Everything a draw depends on besides the seed; plain data, published with the result. */
export interface DrawInputs {
  targets: DrawTarget[];
  /** Share of each tier's targets to draw, 0..1; drawn = min(population, ⌈ratio × population⌉). */
  tierRatios: Record<string, number>;
  inspectors: DrawInspector[];
  /** Inspectors sent to each drawn target; at least two (双人执法). */
  inspectorsPerTarget: number;
  /** Most tasks one inspector gets in this draw, to spread the work; unlimited when absent. */
  maxTasksPerInspector?: number;
}

/** One drawn target and the inspectors assigned to it (ids in code-unit order). */
export interface DrawnTarget {
  targetId: string;
  tier: string;
  inspectorIds: string[];
}

/** Population and number drawn of one tier. */
export interface TierCount {
  tier: string;
  population: number;
  drawn: number;
}

/** Why a drawn target got no inspectors. */

/** A drawn target that could not be staffed; it stays drawn and is not in `selected`. */
export interface UnassignedTarget {
  targetId: string;
  tier: string;
  reason: UnassignedReason;
  /** Inspectors without a conflict with the target, ignoring caps. */
  eligible: number;
}

/** The published result of a draw; `drawDigest` is SHA-256 of the canonical JSON of the rest. */
export interface DrawResult {
  algorithm: string;
  seedHash: string;
  inputsDigest: string;
  /** Staffed targets, by tier (code-unit order) then target id. */
  selected: DrawnTarget[];
  perTier: TierCount[];
  /** Drawn targets that could not be staffed, in the same order as `selected`. */
  unassigned: UnassignedTarget[];
  drawDigest: string;
}

/** What `verifyDraw` found. */
export interface DrawVerification {
  ok: boolean;
  seedMatchesCommitment: boolean;
  digestMatches: boolean;
  /** Why the inputs could not be drawn at all (then `digestMatches` is false). */
  problems: FieldProblem[];
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A fresh 256-bit seed from the system's CSPRNG, as lower-case hex. */
export function generateSeed(): string {
  return randomBytes(32).toString('hex');
}

/** The commitment published before the draw: SHA-256 (hex) of the seed's bytes. */
export function commitSeed(seed: string): string {
  return sha256Hex(Buffer.from(seed, 'hex'));
}

/** Whether a revealed seed is the one committed to. */
export function verifyCommitment(seed: string, seedHash: string): boolean {
  return isValidSeed(seed) && commitSeed(seed) === seedHash.toLowerCase();
}

function isValidSeed(seed: string): boolean {
  return (
    typeof seed === 'string' &&
    seed.length >= MIN_SEED_HEX_DIGITS &&
    seed.length % 2 === 0 &&
    /^[0-9a-fA-F]+$/.test(seed)
  );
}

/** The PRNG for a seed: xoroshiro128plus with state SHA-256(PRNG_DOMAIN ‖ seed bytes)[0..16). */
export function prngFor(seed: string): RandomGenerator {
  const digest = createHash('sha256').update(PRNG_DOMAIN).update(Buffer.from(seed, 'hex')).digest();
  const state = [0, 4, 8, 12].map((offset) => digest.readInt32BE(offset));
  // An all-zero state would repeat zeros; SHA-256 gives it with probability 2^-128.
  if (!state.some((word) => word !== 0)) state[0] = 1;
  return xoroshiro128plusFromState(state);
}

/** Number drawn from a tier: ⌈ratio × population⌉, never more than the tier has. */
export function tierQuota(population: number, ratio: number): number {
  return Math.min(population, Math.max(0, Math.ceil(ratio * population - QUOTA_EPSILON)));
}

function problem(path: string, rule: string, zh: string, en: string): FieldProblem {
  return { path, rule, message: { zh, en } };
}

function isSortedById(items: readonly { id: string }[]): boolean {
  for (let i = 1; i < items.length; i++) {
    if (!((items[i - 1] as { id: string }).id < (items[i] as { id: string }).id)) return false;
  }
  return true;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Paths of the second and later occurrences of an id; O(n) when the list is already in id order. */
function duplicateIds(items: readonly { id: string }[], list: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const report = (index: number, id: string) =>
    problems.push(
      problem(`${list}[${index}].id`, 'unique', `编号重复：${id}`, `duplicate id: ${id}`),
    );
  if (isSortedById(items)) return problems;
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) report(index, item.id);
    seen.add(item.id);
  });
  return problems;
}

function checkSeed(seed: string): FieldProblem[] {
  if (isValidSeed(seed)) return [];
  return [
    problem(
      'seed',
      'seed',
      `随机种子须为至少 ${MIN_SEED_HEX_DIGITS} 位、位数为偶数的十六进制数`,
      `the seed must be an even number of at least ${MIN_SEED_HEX_DIGITS} hexadecimal digits`,
    ),
  ];
}

function checkNumbers(inputs: DrawInputs): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [tier, ratio] of Object.entries(inputs.tierRatios)) {
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
      problems.push(
        problem(
          `tierRatios.${tier}`,
          'ratio',
          '抽取比例须在 0 到 1 之间',
          'the ratio must be between 0 and 1',
        ),
      );
    }
  }
  if (!(Number.isInteger(inputs.inspectorsPerTarget) && inputs.inspectorsPerTarget >= 2)) {
    problems.push(
      problem(
        'inspectorsPerTarget',
        'minimum',
        '每个检查对象至少须派两名检查人员',
        'at least two inspectors must go to each target',
      ),
    );
  }
  const cap = inputs.maxTasksPerInspector;
  if (cap !== undefined && !(Number.isInteger(cap) && cap >= 1)) {
    problems.push(
      problem(
        'maxTasksPerInspector',
        'minimum',
        '每名检查人员的任务上限须为正整数',
        'the task limit per inspector must be a positive integer',
      ),
    );
  }
  return problems;
}

/** Targets whose tier has no ratio: reported once per tier, at its first target. */
function checkTiers(inputs: DrawInputs): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const reported = new Set<string>();
  inputs.targets.forEach((target, index) => {
    if (Object.hasOwn(inputs.tierRatios, target.tier) || reported.has(target.tier)) return;
    reported.add(target.tier);
    problems.push(
      problem(
        `targets[${index}].tier`,
        'unknown_tier',
        `等级 ${target.tier} 未设抽取比例`,
        `tier ${target.tier} has no ratio in tierRatios`,
      ),
    );
  });
  return problems;
}

/**
 * Problems that keep the inputs (and the seed, when given) from being drawn, each naming its field
 * and rule: ratios outside 0..1, fewer than two inspectors per target, a bad cap, duplicate ids,
 * a target tier without a ratio, a seed that is not hex or shorter than 128 bits.
 */
export function checkDrawInputs(inputs: DrawInputs, seed?: string): FieldProblem[] {
  return [
    ...(seed === undefined ? [] : checkSeed(seed)),
    ...checkNumbers(inputs),
    ...duplicateIds(inputs.targets, 'targets'),
    ...duplicateIds(inputs.inspectors, 'inspectors'),
    ...checkTiers(inputs),
  ];
}

/** The targets in id order, split by tier; each tier's ids stay in id order. */
interface TierGroups {
  tiers: string[];
  ids: string[][];
}

function groupByTier(inputs: DrawInputs): TierGroups {
  const targets = isSortedById(inputs.targets) ? inputs.targets : [...inputs.targets].sort(byId);
  const slot = new Map(Object.keys(inputs.tierRatios).map((tier) => [tier, [] as string[]]));
  for (const target of targets) {
    const ids = slot.get(target.tier);
    if (ids) ids.push(target.id);
    else slot.set(target.tier, [target.id]);
  }
  const tiers = [...slot.keys()].sort();
  return { tiers, ids: tiers.map((tier) => slot.get(tier) as string[]) };
}

/** The inspectors in id order, each with its conflicts as a sorted set. */
function canonicalInspectors(inspectors: readonly DrawInspector[]): DrawInspector[] {
  return [...inspectors].sort(byId).map((inspector) => ({
    id: inspector.id,
    ...(inspector.departmentCode === undefined ? {} : { departmentCode: inspector.departmentCode }),
    conflicts: [...new Set(inspector.conflicts)].sort(),
  }));
}

/**
 * SHA-256 (hex) of the inputs in canonical form: the canonical JSON (sorted keys) of
 * `{ algorithm, inspectors, inspectorsPerTarget, maxTasksPerInspector, tierRatios }` with the
 * inspectors in id order and their conflicts sorted; then, for each tier in code-unit order, a
 * line: `\n`, the tier as a JSON string, `:`, and its target ids in code-unit order as a JSON array.
 */
export function digestInputs(inputs: DrawInputs): string {
  return hashInputs(inputs, groupByTier(inputs), canonicalInspectors(inputs.inspectors));
}

function hashInputs(inputs: DrawInputs, groups: TierGroups, inspectors: DrawInspector[]): string {
  const hash = createHash('sha256').update(
    canonicalJson({
      algorithm: DRAW_ALGORITHM,
      inspectors,
      inspectorsPerTarget: inputs.inspectorsPerTarget,
      maxTasksPerInspector: inputs.maxTasksPerInspector ?? null,
      tierRatios: inputs.tierRatios,
    }),
  );
  groups.tiers.forEach((tier, t) => {
    hash.update(`\n${JSON.stringify(tier)}:${JSON.stringify(groups.ids[t])}`);
  });
  return hash.digest('hex');
}

/**
 * Chooses k distinct positions of 0..n-1 uniformly, in draw order, by a partial Fisher–Yates:
 * O(k) draws; the swap table is a zero-filled typed array (0 = the position still holds itself).
 */
export function choosePositions(rng: RandomGenerator, n: number, k: number): Int32Array {
  const moved = new Int32Array(n);
  const chosen = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    const j = uniformInt(rng, i, n - 1);
    const atI = moved[i] ? (moved[i] as number) - 1 : i;
    chosen[i] = moved[j] ? (moved[j] as number) - 1 : j;
    moved[j] = atI + 1;
  }
  return chosen;
}

/** Shuffles in place (full Fisher–Yates; used on the drawn targets only). */
function shuffle(rng: RandomGenerator, items: Int32Array): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const held = items[i] as number;
    items[i] = items[j] as number;
    items[j] = held;
  }
}

/** Index of `id` in an id-ordered list, or -1. */
function binarySearch(ids: readonly string[], id: string): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = ids[middle] as string;
    if (at === id) return middle;
    if (at < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * Targets are numbered 0..N-1 by tier, then id (each tier's ids follow the previous tier's). The
 * conflict lists are kept only for targets that have one: target number → inspector numbers.
 */
function conflictsByTarget(
  groups: TierGroups,
  offsets: readonly number[],
  inspectors: readonly DrawInspector[],
): Map<number, number[]> {
  const byTarget = new Map<number, number[]>();
  inspectors.forEach((inspector, i) => {
    for (const targetId of inspector.conflicts) {
      for (let t = 0; t < groups.tiers.length; t++) {
        const position = binarySearch(groups.ids[t] as string[], targetId);
        if (position < 0) continue;
        const target = (offsets[t] as number) + position;
        const list = byTarget.get(target);
        if (list) list.push(i);
        else byTarget.set(target, [i]);
        break;
      }
    }
  });
  return byTarget;
}

/** Inspectors still under their cap, kept dense so a uniform pick is one draw. */
interface InspectorPool {
  size: number;
  available: Int32Array;
  where: Int32Array;
  load: Int32Array;
  cap: number;
}

function openPool(count: number, cap: number | undefined): InspectorPool {
  const available = new Int32Array(count).map((_, i) => i);
  return {
    size: count,
    available,
    where: available.slice(),
    load: new Int32Array(count),
    cap: cap ?? Infinity,
  };
}

/** Records a task for each pick and takes inspectors who reached their cap out of the pool. */
function commitPicks(pool: InspectorPool, picks: readonly number[]): void {
  for (const inspector of picks) {
    pool.load[inspector] = (pool.load[inspector] as number) + 1;
    if ((pool.load[inspector] as number) < pool.cap) continue;
    const at = pool.where[inspector] as number;
    const last = pool.available[--pool.size] as number;
    pool.available[at] = last;
    pool.where[last] = at;
  }
}

/**
 * Picks `need` distinct inspectors uniformly among those in the pool without a conflict: random
 * picks first (rejecting conflicted or repeated ones), then an explicit list of the eligible when
 * rejections pile up. Null when there are not enough.
 */
function pickInspectors(
  rng: RandomGenerator,
  pool: InspectorPool,
  need: number,
  conflicted: readonly number[],
): number[] | null {
  const picks: number[] = [];
  const eligible = (inspector: number) =>
    !conflicted.includes(inspector) && !picks.includes(inspector);
  for (let tries = 0; picks.length < need && pool.size > 0 && tries < REJECTION_TRIES; tries++) {
    const inspector = pool.available[uniformInt(rng, 0, pool.size - 1)] as number;
    if (eligible(inspector)) picks.push(inspector);
  }
  if (picks.length === need) return picks;
  const rest = Array.from(pool.available.subarray(0, pool.size)).filter(eligible);
  if (rest.length < need - picks.length) return null;
  for (let k = 0; picks.length < need; k++) {
    const j = uniformInt(rng, k, rest.length - 1);
    const inspector = rest[j] as number;
    rest[j] = rest[k] as number;
    picks.push(inspector);
  }
  return picks;
}

/** What the assignment step decided for one drawn target (by its number). */
type Staffing = number[] | Pick<UnassignedTarget, 'reason' | 'eligible'>;

function staffTargets(
  rng: RandomGenerator,
  drawn: Int32Array,
  inputs: DrawInputs,
  inspectorCount: number,
  conflicts: Map<number, number[]>,
): Map<number, Staffing> {
  const pool = openPool(inspectorCount, inputs.maxTasksPerInspector);
  const need = inputs.inspectorsPerTarget;
  const staffing = new Map<number, Staffing>();
  for (const target of drawn) {
    const conflicted = conflicts.get(target) ?? [];
    const picks = pickInspectors(rng, pool, need, conflicted);
    if (picks) commitPicks(pool, picks);
    const withoutConflict = inspectorCount - conflicted.length;
    const reason = withoutConflict < need ? 'too_few_without_conflict' : 'inspectors_at_capacity';
    staffing.set(target, picks ?? { reason, eligible: withoutConflict });
  }
  return staffing;
}

/** The result before its digest. */
type DrawBody = Omit<DrawResult, 'drawDigest'>;

/**
 * Runs the draw: the same inputs and seed always give the same result, whatever the input order.
 * Throws a 422 naming every problem of `checkDrawInputs` first.
 */
export function drawPlan(inputs: DrawInputs, seed: string): DrawResult {
  const problems = checkDrawInputs(inputs, seed);
  if (problems.length > 0) {
    throw new AppError(
      422,
      'supervision.draw_invalid',
      { zh: '抽取参数有误', en: 'the draw inputs are invalid' },
      problems,
    );
  }
  const groups = groupByTier(inputs);
  const inspectors = canonicalInspectors(inputs.inspectors);
  const offsets: number[] = [];
  groups.ids.reduce((offset, ids) => (offsets.push(offset), offset + ids.length), 0);

  const rng = prngFor(seed);
  const perTier: TierCount[] = [];
  const chosen: number[] = [];
  groups.tiers.forEach((tier, t) => {
    const population = (groups.ids[t] as string[]).length;
    const drawn = tierQuota(population, inputs.tierRatios[tier] ?? 0);
    for (const position of choosePositions(rng, population, drawn)) {
      chosen.push((offsets[t] as number) + position);
    }
    perTier.push({ drawn, population, tier });
  });
  const drawn = Int32Array.from(chosen);
  shuffle(rng, drawn);
  const conflicts = conflictsByTarget(groups, offsets, inspectors);
  const staffing = staffTargets(rng, drawn, inputs, inspectors.length, conflicts);

  const { selected, unassigned } = listOutcome(groups, offsets, staffing, inspectors);
  // Keys in code-unit order at every level, so JSON.stringify gives the canonical JSON at once.
  const body: DrawBody = {
    algorithm: DRAW_ALGORITHM,
    inputsDigest: hashInputs(inputs, groups, inspectors),
    perTier,
    seedHash: commitSeed(seed),
    selected,
    unassigned,
  };
  return { ...body, drawDigest: sha256Hex(JSON.stringify(body)) };
}

/** Staffed and unassigned targets in canonical order: by tier, then id. */
function listOutcome(
  groups: TierGroups,
  offsets: readonly number[],
  staffing: Map<number, Staffing>,
  inspectors: readonly DrawInspector[],
): Pick<DrawResult, 'selected' | 'unassigned'> {
  const selected: DrawnTarget[] = [];
  const unassigned: UnassignedTarget[] = [];
  const numbers = Int32Array.from(staffing.keys()).sort();
  let t = 0;
  for (const target of numbers) {
    while (target >= (offsets[t + 1] ?? Infinity)) t++;
    const tier = groups.tiers[t] as string;
    const targetId = (groups.ids[t] as string[])[target - (offsets[t] as number)] as string;
    const outcome = staffing.get(target) as Staffing;
    if (!Array.isArray(outcome)) {
      unassigned.push({ eligible: outcome.eligible, reason: outcome.reason, targetId, tier });
    } else {
      const inspectorIds = [...outcome]
        .sort((a, b) => a - b)
        .map((i) => (inspectors[i] as DrawInspector).id);
      selected.push({ inspectorIds, targetId, tier });
    }
  }
  return { selected, unassigned };
}

/**
 * Re-runs a published draw from its inputs and revealed seed: the seed must match the commitment
 * published before the draw, and the re-run's digest the published one.
 */
export function verifyDraw(
  inputs: DrawInputs,
  seed: string,
  published: Pick<DrawResult, 'seedHash' | 'drawDigest'>,
): DrawVerification {
  const seedMatchesCommitment = verifyCommitment(seed, published.seedHash);
  const problems = checkDrawInputs(inputs, seed);
  const digestMatches =
    problems.length === 0 && drawPlan(inputs, seed).drawDigest === published.drawDigest;
  return {
    ok: seedMatchesCommitment && digestMatches,
    seedMatchesCommitment,
    digestMatches,
    problems,
  };
}

/** Whether a published result is internally consistent: its digest is that of its body. */
export function digestMatchesBody(result: DrawResult): boolean {
  const { drawDigest, ...body } = result;
  return sha256Hex(canonicalJson(body)) === drawDigest;
}
