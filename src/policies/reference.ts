import type { RegionNode } from './matcher';
import {
  CREDIT_GRADES,
  attrSpec,
  isCondition,
  wholeYears,
  type Condition,
  type Dossier,
  type Rule,
} from './rule';

// The plain reading of a rule, one dossier at a time, straight from the language's definition:
// the oracle the columnar matcher is tested against (matcher.test.ts) and checked against in the
// benchmark. Not fast and not meant to be.

/** Whether `region` is `target` or lies below it in the tree. */
function within(region: string, target: string, parents: ReadonlyMap<string, string | null>) {
  const seen = new Set<string>();
  for (let at: string | null | undefined = region; at && !seen.has(at); at = parents.get(at)) {
    if (at === target) return true;
    seen.add(at);
  }
  return false;
}

function holds(
  c: Condition,
  d: Dossier,
  parents: ReadonlyMap<string, string | null>,
  asOf: string,
) {
  const spec = attrSpec(c.attr);
  const raw =
    spec.type === 'years'
      ? d[spec.from!] === undefined
        ? undefined
        : wholeYears(d[spec.from!]!, asOf)
      : d[c.attr as keyof Dossier];
  if (raw === undefined) return false;
  const list = (Array.isArray(c.value) ? c.value : [c.value]) as (string | number)[];
  switch (c.op) {
    case 'eq':
    case 'in':
      return list.includes(raw as string);
    case 'atLeast':
      return (
        CREDIT_GRADES.indexOf(raw as (typeof CREDIT_GRADES)[number]) <=
        CREDIT_GRADES.indexOf(c.value as (typeof CREDIT_GRADES)[number])
      );
    case 'within':
      return list.some((target) => within(raw as string, target as string, parents));
    case 'prefix':
      return list.some((prefix) => (raw as string).startsWith(prefix as string));
    case 'before':
      return (raw as string) < (c.value as string);
    case 'after':
      return (raw as string) > (c.value as string);
    case 'between':
      return (raw as number) >= (list[0] as number) && (raw as number) <= (list[1] as number);
    case 'lt':
      return (raw as number) < (c.value as number);
    case 'lte':
      return (raw as number) <= (c.value as number);
    case 'gt':
      return (raw as number) > (c.value as number);
    case 'gte':
      return (raw as number) >= (c.value as number);
    case 'has':
      return (raw as string[]).includes(c.value as string);
    case 'hasAny':
      return list.some((v) => (raw as string[]).includes(v as string));
    case 'hasAll':
      return list.every((v) => (raw as string[]).includes(v as string));
  }
}

/** Whether one dossier meets a rule, evaluated directly from the rule's definition. */
export function referenceMatch(
  rule: Rule,
  dossier: Dossier,
  regions: readonly RegionNode[],
  asOf: string,
): boolean {
  const parents = new Map(regions.map((r) => [r.code, r.parent ?? null]));
  return evaluate(rule, dossier, parents, asOf);
}

/** The same with the region tree already as a parent map (for many dossiers). */
export function evaluate(
  rule: Rule,
  dossier: Dossier,
  parents: ReadonlyMap<string, string | null>,
  asOf: string,
): boolean {
  if (isCondition(rule)) return holds(rule, dossier, parents, asOf);
  if ('all' in rule) return rule.all.every((r) => evaluate(r, dossier, parents, asOf));
  if ('any' in rule) return rule.any.some((r) => evaluate(r, dossier, parents, asOf));
  return !evaluate(rule.not, dossier, parents, asOf);
}
