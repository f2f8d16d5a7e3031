// Waiving materials (免提交): a material the applicant would upload is attached from what the
// government already holds — an e-licence the applicant holds, another department's shared data,
// or the result of an item the applicant completed. The catalog says, per item material, which
// sources may stand in for it (`sources`); the holdings come from the licences capability through
// the MaterialSources port, so this file stays pure and cases need not import licences.
import type { Guide } from '../bundles';
import type { ItemContent, MaterialSource } from '../catalog/schema';
import type { Kdb, Tx } from '../platform/db/database';
import type { Text } from '../platform/i18n';

/** A source the applicant holds now, as the port finds it. */
export interface HeldSource {
  kind: MaterialSource['kind'];
  /** Licence type name (营业执照), shared-data source name (公安人口库) or item code. */
  name: string;
  label: Text;
  /** The licence that stands in, when the source is a licence (or an item result with one). */
  licence: { id: string; identifier: string; validUntil: string | null } | null;
}

/** How one material is waived: for each member item that asks for it, the source that stands in. */
export interface Waiver {
  sources: HeldSource[];
}

/** The applicant whose holdings are looked up. */
export interface Holder {
  kind: 'person' | 'enterprise';
  identifier: string;
}

/** One use of a source in place of a paper, recorded with the submission. */
export interface MaterialUse {
  source: HeldSource;
  holder: Holder;
  application: { id: string; number: string; regionCode: string; bundleName: Text };
  material: { key: string; name: Text };
  /** Who submitted (the applicant, or the clerk helping them); null: the system. */
  actor: { userId: string; name: string; role: string | null; departmentCode: string | null };
}

/** The port to what the government holds (implemented by the licences capability). */
export interface MaterialSources {
  /** Of the wanted sources, those the holder has now: valid licences, connected data, results. */
  held(db: Kdb | Tx, holder: Holder, wanted: readonly MaterialSource[]): Promise<HeldSource[]>;
  /** Logs the uses in the submitting transaction, so the holder can see who used what, and why. */
  recordUses(trx: Tx, uses: readonly MaterialUse[], at: Date): Promise<void>;
  /**
   * The licence attached for a material, opened by the staff handling the case (`use.actor`):
   * logged as a view in its own transaction; null when there is no such licence.
   */
  openLicence(licenceId: string, use: MaterialUse, at: Date): Promise<object | null>;
}

/** No holdings at all: every material is uploaded (tests of intake alone, tools). */
export const NO_SOURCES: MaterialSources = {
  held: () => Promise.resolve([]),
  recordUses: () => Promise.resolve(),
  openLicence: () => Promise.resolve(null),
};

/**
 * The materials of a guide that could be waived, with the sources each member item accepts:
 * uploads only (signed, identity-checked and result materials need nothing from the applicant),
 * and only where every member asking for the material names at least one source — a paper one
 * member still needs cannot be waived for the others.
 */
export function waiverCandidates(
  guide: Pick<Guide, 'materials'>,
  items: ReadonlyMap<string, ItemContent>,
): Map<string, MaterialSource[][]> {
  const out = new Map<string, MaterialSource[][]>();
  for (const m of guide.materials) {
    if (m.provision !== 'upload' || m.usedBy.length === 0) continue;
    const perMember = m.usedBy.map(
      (use) => items.get(use.item)?.materials.find((im) => im.key === use.key)?.sources ?? [],
    );
    if (perMember.every((sources) => sources.length > 0)) out.set(m.key, perMember);
  }
  return out;
}

/** Every distinct source the candidates name, for one lookup of the holdings. */
export function wantedSources(candidates: ReadonlyMap<string, MaterialSource[][]>) {
  const seen = new Map<string, MaterialSource>();
  for (const perMember of candidates.values()) {
    for (const s of perMember.flat()) seen.set(sourceKey(s), s);
  }
  return [...seen.values()];
}

function sourceKey(s: MaterialSource | HeldSource): string {
  const name = 'name' in s ? s.name : sourceName(s);
  return `${s.kind}:${name}`;
}

/** What a catalog source is called: the licence type, the data source or the item code. */
export function sourceName(s: MaterialSource): string {
  switch (s.kind) {
    case 'licence':
      return s.licenceType;
    case 'shared-data':
      return s.source;
    case 'item-result':
      return s.itemCode;
  }
}

/**
 * The waivers the holdings allow: a material is waived when each member's list has a source the
 * applicant holds (the first held one, in the catalog's order of preference).
 */
export function chooseWaivers(
  candidates: ReadonlyMap<string, MaterialSource[][]>,
  held: readonly HeldSource[],
): Record<string, Waiver> {
  const byKey = new Map(held.map((h) => [sourceKey(h), h]));
  const out: Record<string, Waiver> = {};
  for (const [material, perMember] of candidates) {
    const chosen = perMember.map((sources) =>
      sources.map((s) => byKey.get(sourceKey(s))).find((h) => h !== undefined),
    );
    if (chosen.every((h) => h !== undefined)) {
      // one source stands in once, however many members accept it
      const distinct = [...new Map(chosen.map((h) => [sourceKey(h), h])).values()];
      out[material] = { sources: distinct };
    }
  }
  return out;
}

/** The purpose recorded with a use, as the holder reads it in their log. */
export function usePurpose(bundleName: Text, materialName: Text): Text {
  return {
    zh: `办理「${bundleName.zh}」，材料「${materialName.zh}」免提交`,
    en: `"${materialName.en}" waived for "${bundleName.en}"`,
  };
}
