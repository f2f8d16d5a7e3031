// Certificate-free scenarios (无证明场景): which published items and bundles a typical applicant can
// complete without handing in a single paper, because every material they would upload can come
// from an e-licence the platform issues, another department's connected data, or the result of an
// item in the catalog — and, where one cannot, what blocks it. The seeds set the target: "打造20个
// 以上“无证明”创新场景" (B26, 威政办发〔2025〕11号), so a city counts its scenarios against 20.
// Pure rules: no SQL, no HTTP.
import { guideBundle, type BundleContent } from '../bundles';
import { sourceName, waiverCandidates } from '../cases';
import type { ItemContent, MaterialSource } from '../catalog/schema';
import type { Text } from '../platform/i18n';
import type { HolderKind } from './codes';

/** The seeds' target: "打造20个以上“无证明”创新场景" (B26). */
export const SCENARIO_TARGET = 20;

/** Why a material cannot be waived for the typical applicant. */
export const BLOCK_REASONS = [
  'no-source',
  'licence-not-issued',
  'licence-holder-kind',
  'data-unknown',
  'data-not-connected',
  'data-subject-kind',
  'item-not-in-catalog',
] as const;
/** One reason a material is blocked. */
export type BlockReason = (typeof BLOCK_REASONS)[number];

/** What the platform can draw on in place of papers. */
export interface SourceRegistry {
  /** The licence types the platform issues, by their catalog name (name_zh). */
  licenceTypes: readonly { name: string; holderKind: HolderKind }[];
  /** The shared-data sources, connected or not. */
  sharedData: readonly { name: string; subjectKinds: readonly HolderKind[]; connected: boolean }[];
  /** Codes of the items in the published catalog (an item result can only come from one). */
  itemCodes: ReadonlySet<string>;
}

/** A material that keeps a scenario from being certificate-free, and why. */
export interface Blocker {
  material: { key: string; name: Text };
  reason: BlockReason;
  message: Text;
  /** The source that is not available (absent when no source is named). */
  source?: { kind: MaterialSource['kind']; name: string };
  /** In a bundle, the member item whose list of sources falls short. */
  item?: { code: string; name: Text };
}

/** One scenario: an item or a bundle, for one kind of applicant. */
export interface Scenario {
  kind: 'item' | 'bundle';
  code: string;
  name: Text;
  applicantKind: HolderKind;
  free: boolean;
  /** The materials the applicant would hand in, and how many of them can be waived. */
  materials: { asked: number; waivable: number };
  blockers: Blocker[];
}

/** The count against the target. */
export interface ScenarioTotals {
  free: number;
  total: number;
  target: number;
  targetMet: boolean;
  items: { free: number; total: number };
  bundles: { free: number; total: number };
}

/** A published bundle with the catalog items of its members. */
export interface BundleWithItems {
  content: BundleContent;
  items: ReadonlyMap<string, ItemContent>;
}

const KIND_NAMES: Record<HolderKind, Text> = {
  person: { zh: '自然人', en: 'persons' },
  enterprise: { zh: '企业', en: 'enterprises' },
};

function quoted(name: Text): Text {
  return { zh: `「${name.zh}」`, en: `"${name.en}"` };
}

/**
 * Whether a source is available to the typical applicant of a kind — one who holds a valid licence
 * of every type the platform issues to that kind and whose data every connected source covering
 * that kind holds. Null when it is; else the reason and its message.
 */
export function sourceProblem(
  source: MaterialSource,
  kind: HolderKind,
  registry: SourceRegistry,
): { reason: BlockReason; message: Text } | null {
  const name = sourceName(source);
  switch (source.kind) {
    case 'licence': {
      const type = registry.licenceTypes.find((t) => t.name === name);
      if (!type) {
        return {
          reason: 'licence-not-issued',
          message: {
            zh: `平台不签发电子证照「${name}」`,
            en: `the platform issues no e-licence "${name}"`,
          },
        };
      }
      if (type.holderKind !== kind) {
        return {
          reason: 'licence-holder-kind',
          message: {
            zh: `电子证照「${name}」的持证主体是${KIND_NAMES[type.holderKind].zh}，不是${KIND_NAMES[kind].zh}`,
            en: `the e-licence "${name}" is held by ${KIND_NAMES[type.holderKind].en}, not ${KIND_NAMES[kind].en}`,
          },
        };
      }
      return null;
    }
    case 'shared-data': {
      const data = registry.sharedData.find((d) => d.name === name);
      if (!data) {
        return {
          reason: 'data-unknown',
          message: {
            zh: `共享数据源「${name}」未登记`,
            en: `the shared-data source "${name}" is not registered`,
          },
        };
      }
      if (!data.connected) {
        return {
          reason: 'data-not-connected',
          message: {
            zh: `共享数据源「${name}」尚未对接`,
            en: `the shared-data source "${name}" is not connected`,
          },
        };
      }
      if (!data.subjectKinds.includes(kind)) {
        return {
          reason: 'data-subject-kind',
          message: {
            zh: `共享数据源「${name}」不含${KIND_NAMES[kind].zh}数据`,
            en: `the shared-data source "${name}" holds no data on ${KIND_NAMES[kind].en}`,
          },
        };
      }
      return null;
    }
    case 'item-result':
      return registry.itemCodes.has(name)
        ? null
        : {
            reason: 'item-not-in-catalog',
            message: {
              zh: `事项 ${name} 不在已发布的事项目录中，无法取其办理结果`,
              en: `item ${name} is not in the published catalog, so there is no result of it`,
            },
          };
  }
}

/**
 * The blockers of one list of sources: none when one of them is available, else one per source
 * (any one of them, made available, would do), or one `no-source` when the list is empty.
 */
function listBlockers(
  sources: readonly MaterialSource[],
  material: Blocker['material'],
  kind: HolderKind,
  registry: SourceRegistry,
  item?: Blocker['item'],
): Blocker[] {
  if (sources.length === 0) {
    const m = quoted(material.name);
    const message: Text = item
      ? {
          zh: `「${item.name.zh}」未列明材料${m.zh}的可替代来源`,
          en: `no source named by "${item.name.en}" for ${m.en}`,
        }
      : {
          zh: `材料${m.zh}未列明可替代的证照、共享数据或办理结果`,
          en: `no licence, shared data or item result is named for ${m.en}`,
        };
    return [{ material, reason: 'no-source', message, ...(item ? { item } : {}) }];
  }
  const blockers: Blocker[] = [];
  for (const source of sources) {
    const problem = sourceProblem(source, kind, registry);
    if (!problem) return [];
    blockers.push({
      material,
      ...problem,
      source: { kind: source.kind, name: sourceName(source) },
      ...(item ? { item } : {}),
    });
  }
  return blockers;
}

/** An item's scenario for one kind of applicant: every required material must have a source. */
export function itemScenario(
  item: ItemContent,
  kind: HolderKind,
  registry: SourceRegistry,
): Scenario {
  const required = item.materials.filter((m) => m.requirement === 'required');
  const blockers: Blocker[] = [];
  let waivable = 0;
  for (const m of required) {
    const found = listBlockers(m.sources, { key: m.key, name: m.name }, kind, registry);
    if (found.length === 0) waivable += 1;
    blockers.push(...found);
  }
  return {
    kind: 'item',
    code: item.code,
    name: item.name,
    applicantKind: kind,
    free: blockers.length === 0,
    materials: { asked: required.length, waivable },
    blockers,
  };
}

/**
 * A bundle's scenario for one kind of applicant, with the default answers: every material the guide
 * asks to upload must be a waiver candidate (each member asking for it names a source) whose every
 * member has a source available. Signed, identity-checked and result materials need nothing.
 */
export function bundleScenario(
  bundle: BundleWithItems,
  kind: HolderKind,
  registry: SourceRegistry,
): Scenario {
  const guide = guideBundle(bundle.content, bundle.items, {});
  const candidates = waiverCandidates(guide, bundle.items);
  const uploads = guide.materials.filter((m) => m.provision === 'upload');
  const blockers: Blocker[] = [];
  let waivable = 0;
  for (const m of uploads) {
    const material = { key: m.key, name: m.name };
    const perMember = candidates.get(m.key);
    const found = m.usedBy.flatMap((use, index) => {
      const item = bundle.items.get(use.item);
      const ref = { code: use.item, name: item?.name ?? { zh: use.item, en: use.item } };
      // not a candidate: some member names no source (the others' lists are checked all the same)
      const sources =
        perMember?.[index] ??
        item?.materials.find((im) => im.key === use.key)?.sources ??
        ([] as MaterialSource[]);
      return listBlockers(sources, material, kind, registry, ref);
    });
    if (found.length === 0 && perMember) waivable += 1;
    blockers.push(...found);
  }
  return {
    kind: 'bundle',
    code: bundle.content.code,
    name: bundle.content.name,
    applicantKind: kind,
    free: blockers.length === 0,
    materials: { asked: uploads.length, waivable },
    blockers,
  };
}

const KIND_ORDER: readonly HolderKind[] = ['person', 'enterprise'];

/**
 * Every scenario of the published items and bundles, one per audience kind, certificate-free first
 * (then bundles before items, by code), with the totals against the seeds' target.
 */
export function certificateFreeScenarios(
  items: Iterable<ItemContent>,
  bundles: Iterable<BundleWithItems>,
  registry: SourceRegistry,
): { totals: ScenarioTotals; scenarios: Scenario[] } {
  const scenarios: Scenario[] = [];
  for (const bundle of bundles) {
    for (const kind of KIND_ORDER) {
      if (bundle.content.audience.includes(kind)) {
        scenarios.push(bundleScenario(bundle, kind, registry));
      }
    }
  }
  for (const item of items) {
    for (const kind of KIND_ORDER) {
      if (item.audience.includes(kind)) scenarios.push(itemScenario(item, kind, registry));
    }
  }
  scenarios.sort(
    (a, b) =>
      Number(b.free) - Number(a.free) ||
      (a.kind === b.kind ? 0 : a.kind === 'bundle' ? -1 : 1) ||
      a.code.localeCompare(b.code) ||
      KIND_ORDER.indexOf(a.applicantKind) - KIND_ORDER.indexOf(b.applicantKind),
  );
  const count = (list: Scenario[]) => ({
    free: list.filter((s) => s.free).length,
    total: list.length,
  });
  const all = count(scenarios);
  return {
    totals: {
      ...all,
      target: SCENARIO_TARGET,
      targetMet: all.free >= SCENARIO_TARGET,
      items: count(scenarios.filter((s) => s.kind === 'item')),
      bundles: count(scenarios.filter((s) => s.kind === 'bundle')),
    },
    scenarios,
  };
}
