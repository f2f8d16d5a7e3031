import { describe, expect, it } from 'vitest';
import type { GuideMaterial } from '../bundles';
import type { ItemContent, MaterialSource } from '../catalog/schema';
import {
  chooseWaivers,
  usePurpose,
  waiverCandidates,
  wantedSources,
  type HeldSource,
} from './waivers';

const LICENCE: MaterialSource = { kind: 'licence', licenceType: '营业执照' };
const RESULT: MaterialSource = { kind: 'item-result', itemCode: '371000-XZSP-01-0002' };
const DATA: MaterialSource = { kind: 'shared-data', source: '公安人口库' };

function material(
  key: string,
  provision: GuideMaterial['provision'],
  usedBy: { member: string; item: string; key: string }[],
): GuideMaterial {
  return {
    key,
    name: { zh: key, en: key },
    forms: ['electronic'],
    copies: 0,
    provision,
    deficiencyAllowed: false,
    pledgeAllowed: false,
    usedBy,
    reason: { always: true, because: [] },
  };
}

/** An item whose materials name the given sources (only what the rules read). */
function item(code: string, sources: Record<string, MaterialSource[]>): ItemContent {
  return {
    code,
    materials: Object.entries(sources).map(([key, list]) => ({
      key,
      name: { zh: key, en: key },
      requirement: 'required',
      forms: ['electronic'],
      copies: 0,
      sources: list,
      deficiencyAllowed: false,
      pledgeAllowed: false,
    })),
  } as unknown as ItemContent;
}

function held(kind: HeldSource['kind'], name: string): HeldSource {
  return { kind, name, label: { zh: name, en: name }, licence: null };
}

describe('waiving materials (免提交)', () => {
  const items = new Map([
    ['FOOD', item('FOOD', { 'business-licence': [RESULT, LICENCE], layout: [] })],
    ['FIRE', item('FIRE', { licence: [LICENCE] })],
    ['SIGN', item('SIGN', { 'business-licence': [] })],
  ]);

  it('takes upload materials whose every member names a source, with each member’s sources', () => {
    const guide = {
      materials: [
        material('business-licence', 'upload', [
          { member: 'food', item: 'FOOD', key: 'business-licence' },
          // the member's own key differs from the bundle's
          { member: 'fire', item: 'FIRE', key: 'licence' },
        ]),
        material('layout', 'upload', [{ member: 'food', item: 'FOOD', key: 'layout' }]),
        material('application', 'online-sign', [{ member: 'fire', item: 'FIRE', key: 'licence' }]),
      ],
    };
    const candidates = waiverCandidates(guide, items);
    expect([...candidates.keys()]).toEqual(['business-licence']);
    expect(candidates.get('business-licence')).toEqual([[RESULT, LICENCE], [LICENCE]]);
    expect(wantedSources(candidates)).toEqual([RESULT, LICENCE]);
  });

  it('does not waive for anyone a paper one member still needs', () => {
    const guide = {
      materials: [
        material('business-licence', 'upload', [
          { member: 'food', item: 'FOOD', key: 'business-licence' },
          { member: 'sign', item: 'SIGN', key: 'business-licence' },
        ]),
      ],
    };
    expect(waiverCandidates(guide, items).size).toBe(0);
  });

  it('waives when each member has a held source, preferring the catalog’s order, once per source', () => {
    const candidates = new Map([
      ['business-licence', [[RESULT, LICENCE], [LICENCE]]],
      ['id', [[DATA]]],
    ]);
    const licence = held('licence', '营业执照');
    expect(chooseWaivers(candidates, [licence])).toEqual({
      'business-licence': { sources: [licence] },
    });
    const result = held('item-result', '371000-XZSP-01-0002');
    expect(chooseWaivers(candidates, [licence, result])['business-licence']).toEqual({
      sources: [result, licence],
    });
    // a source of another kind with the same name does not count
    expect(chooseWaivers(candidates, [held('shared-data', '营业执照')])).toEqual({});
    expect(chooseWaivers(candidates, [held('shared-data', '公安人口库')])).toEqual({
      id: { sources: [held('shared-data', '公安人口库')] },
    });
  });

  it('says in the holder’s log what a use was for', () => {
    expect(
      usePurpose(
        { zh: '开餐馆', en: 'Opening a restaurant' },
        { zh: '营业执照', en: 'Business licence' },
      ),
    ).toEqual({
      zh: '办理「开餐馆」，材料「营业执照」免提交',
      en: '"Business licence" waived for "Opening a restaurant"',
    });
  });
});
