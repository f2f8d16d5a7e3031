import { describe, expect, it } from 'vitest';
import { fixtureBundle } from '../../test/support/bundles';
import { fixtureItem } from '../../test/support/catalog';
import type { BundleContent } from '../bundles';
import type { ItemContent, Material } from '../catalog';
import {
  SCENARIO_TARGET,
  bundleScenario,
  certificateFreeScenarios,
  itemScenario,
  type SourceRegistry,
} from './scenarios';

// The rules of certificate-free scenarios (无证明场景) over small hand-made items and bundles: which
// are free for a typical person or enterprise, and what blocks the others.

const REGISTRY: SourceRegistry = {
  licenceTypes: [
    { name: '居民身份证', holderKind: 'person' },
    { name: '营业执照', holderKind: 'enterprise' },
  ],
  sharedData: [
    { name: '公安人口库', subjectKinds: ['person'], connected: true },
    { name: '劳动能力鉴定信息系统', subjectKinds: ['person'], connected: false },
    { name: '国家企业信用信息公示系统', subjectKinds: ['enterprise'], connected: true },
  ],
  itemCodes: new Set(['TEST-0001', 'TEST-0002', 'TEST-0003']),
};

function material(key: string, zh: string, sources: Material['sources']): Material {
  return {
    key,
    name: { zh, en: key },
    requirement: 'required',
    forms: ['original'],
    copies: 1,
    sources,
    deficiencyAllowed: false,
    pledgeAllowed: false,
  };
}

/** The fixture item (a required resident ID card, from the 居民身份证 licence) plus materials. */
function itemWith(extra: Material[], overrides: Partial<ItemContent> = {}): ItemContent {
  const base = fixtureItem('TEST-0001', overrides);
  return { ...base, materials: [...base.materials, ...extra] };
}

describe('item scenarios', () => {
  it('are free for a person when every required material has a source they hold', () => {
    // the conditional power of attorney (no source) is not asked of the typical applicant
    const scenario = itemScenario(itemWith([]), 'person', REGISTRY);
    expect(scenario).toMatchObject({
      kind: 'item',
      code: 'TEST-0001',
      applicantKind: 'person',
      free: true,
      materials: { asked: 1, waivable: 1 },
      blockers: [],
    });
  });

  it('block an enterprise on a licence only persons hold (wrong holder kind)', () => {
    const scenario = itemScenario(itemWith([]), 'enterprise', REGISTRY);
    expect(scenario.free).toBe(false);
    expect(scenario.blockers).toEqual([
      {
        material: { key: 'id-card', name: { zh: '居民身份证', en: 'Resident identity card' } },
        reason: 'licence-holder-kind',
        message: {
          zh: '电子证照「居民身份证」的持证主体是自然人，不是企业',
          en: 'the e-licence "居民身份证" is held by persons, not enterprises',
        },
        source: { kind: 'licence', name: '居民身份证' },
      },
    ]);
  });

  it('block on a data source that is not connected, and free once it is', () => {
    const item = itemWith([
      material('appraisal', '劳动能力鉴定结论', [
        { kind: 'shared-data', source: '劳动能力鉴定信息系统' },
      ]),
    ]);
    const blocked = itemScenario(item, 'person', REGISTRY);
    expect(blocked.free).toBe(false);
    expect(blocked.materials).toEqual({ asked: 2, waivable: 1 });
    expect(blocked.blockers.map((b) => [b.material.key, b.reason, b.source?.name])).toEqual([
      ['appraisal', 'data-not-connected', '劳动能力鉴定信息系统'],
    ]);
    expect(blocked.blockers[0]!.message.zh).toBe('共享数据源「劳动能力鉴定信息系统」尚未对接');

    const connected: SourceRegistry = {
      ...REGISTRY,
      sharedData: REGISTRY.sharedData.map((d) => ({ ...d, connected: true })),
    };
    expect(itemScenario(item, 'person', connected).free).toBe(true);
  });

  it('name every other reason: no source, licence not issued, data on other subjects, unknown data, item not in the catalog', () => {
    const item = itemWith([
      material('layout', '经营场所平面图', []),
      material('marriage', '结婚证', [{ kind: 'licence', licenceType: '结婚证' }]),
      material('credit', '企业信用信息', [
        { kind: 'shared-data', source: '国家企业信用信息公示系统' },
      ]),
      material('nobody', '某数据', [{ kind: 'shared-data', source: '不存在的库' }]),
      material('result', '前置审批结果', [{ kind: 'item-result', itemCode: 'NOPE-0001' }]),
    ]);
    const scenario = itemScenario(item, 'person', REGISTRY);
    expect(scenario.blockers.map((b) => [b.material.key, b.reason])).toEqual([
      ['layout', 'no-source'],
      ['marriage', 'licence-not-issued'],
      ['credit', 'data-subject-kind'],
      ['nobody', 'data-unknown'],
      ['result', 'item-not-in-catalog'],
    ]);
    expect(scenario.blockers[0]!.source).toBeUndefined();
    expect(scenario.blockers[0]!.message.zh).toContain('经营场所平面图');
    expect(scenario.blockers[4]!.message.en).toContain('NOPE-0001');
  });

  it('need only one available source of a material’s list', () => {
    const item = itemWith([
      material('household', '户口簿', [
        { kind: 'licence', licenceType: '居民户口簿' },
        { kind: 'item-result', itemCode: 'TEST-0002' },
      ]),
    ]);
    expect(itemScenario(item, 'person', REGISTRY).free).toBe(true);
    const onlyMissing = itemWith([
      material('household', '户口簿', [
        { kind: 'licence', licenceType: '居民户口簿' },
        { kind: 'item-result', itemCode: 'NOPE-0002' },
      ]),
    ]);
    // one blocker per source: making either available would free it
    expect(
      itemScenario(onlyMissing, 'person', REGISTRY).blockers.map((b) => b.source?.name),
    ).toEqual(['居民户口簿', 'NOPE-0002']);
  });
});

/** The fixture bundle (register → file) asking to upload the ID card, plus more materials. */
function bundleWith(
  change: (bundle: BundleContent, items: Map<string, ItemContent>) => void = () => undefined,
) {
  const { bundle, items } = fixtureBundle();
  bundle.materials[0] = { ...bundle.materials[0]!, provision: 'upload' };
  change(bundle, items);
  return { content: bundle, items };
}

describe('bundle scenarios', () => {
  it('are free when every upload is a candidate with a source available for every member', () => {
    const scenario = bundleScenario(bundleWith(), 'person', REGISTRY);
    expect(scenario).toMatchObject({
      kind: 'bundle',
      code: 'test-bundle',
      free: true,
      materials: { asked: 1, waivable: 1 },
      blockers: [],
    });
  });

  it('name the member item that names no source for an upload', () => {
    const bundle = bundleWith((b, items) => {
      const file = items.get('TEST-0002')!;
      items.set('TEST-0002', {
        ...file,
        materials: [...file.materials, material('floor-plan', '平面布局图', [])],
      });
      b.materials.push({
        key: 'floor-plan',
        name: { zh: '平面布局图', en: 'Floor plan' },
        forms: ['copy'],
        copies: 1,
        provision: 'upload',
        deficiencyAllowed: false,
        pledgeAllowed: false,
      });
    });
    const scenario = bundleScenario(bundle, 'person', REGISTRY);
    expect(scenario.free).toBe(false);
    expect(scenario.materials).toEqual({ asked: 2, waivable: 1 });
    expect(scenario.blockers).toEqual([
      {
        material: { key: 'floor-plan', name: { zh: '平面布局图', en: 'Floor plan' } },
        reason: 'no-source',
        message: {
          zh: '「测试备案」未列明材料「平面布局图」的可替代来源',
          en: 'no source named by "Test filing" for "Floor plan"',
        },
        item: { code: 'TEST-0002', name: { zh: '测试备案', en: 'Test filing' } },
      },
    ]);
  });

  it('block when one member’s source is wrong for the applicant, even if the others’ are fine', () => {
    const bundle = bundleWith((_b, items) => {
      const file = items.get('TEST-0002')!;
      items.set('TEST-0002', {
        ...file,
        materials: file.materials.map((m) =>
          m.key === 'id-card'
            ? { ...m, sources: [{ kind: 'shared-data', source: '劳动能力鉴定信息系统' }] }
            : m,
        ),
      });
    });
    const blockers = bundleScenario(bundle, 'person', REGISTRY).blockers;
    expect(blockers.map((b) => [b.item?.code, b.reason, b.source?.name])).toEqual([
      ['TEST-0002', 'data-not-connected', '劳动能力鉴定信息系统'],
    ]);
  });

  it('ask nothing of signed, identity-checked or result materials', () => {
    const bundle = bundleWith((b, items) => {
      b.materials[0] = { ...b.materials[0]!, provision: 'identity' };
      // even with no source named, an identity check is not a paper
      for (const [code, item] of items) {
        items.set(code, {
          ...item,
          materials: item.materials.map((m) => ({ ...m, sources: [] })),
        });
      }
    });
    const scenario = bundleScenario(bundle, 'enterprise', REGISTRY);
    expect(scenario).toMatchObject({ free: true, materials: { asked: 0, waivable: 0 } });
  });
});

describe('the count of scenarios', () => {
  it('counts each audience kind, free first, against the seeds’ target', () => {
    const both = itemWith([], { audience: ['person', 'enterprise'] });
    const blocked = fixtureItem('TEST-0002', {
      materials: [material('layout', '平面图', [])],
    });
    const bundle = bundleWith((b) => (b.audience = ['person', 'enterprise']));
    const { totals, scenarios } = certificateFreeScenarios([blocked, both], [bundle], REGISTRY);
    expect(scenarios.map((s) => [s.kind, s.code, s.applicantKind, s.free])).toEqual([
      ['bundle', 'test-bundle', 'person', true],
      ['item', 'TEST-0001', 'person', true],
      ['bundle', 'test-bundle', 'enterprise', false],
      ['item', 'TEST-0001', 'enterprise', false],
      ['item', 'TEST-0002', 'person', false],
    ]);
    expect(totals).toEqual({
      free: 2,
      total: 5,
      target: SCENARIO_TARGET,
      targetMet: false,
      items: { free: 1, total: 3 },
      bundles: { free: 1, total: 2 },
    });
    expect(SCENARIO_TARGET).toBe(20);
  });
});
