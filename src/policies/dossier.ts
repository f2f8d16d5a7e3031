// A subject's dossier as eligibility rules read it, assembled from what the platform registers
// and what other departments send. Kept apart from model.ts, which the web imports: reading a
// resident ID needs the identifier validators, which are not for the browser.
import { ricBirthDate, ricSex } from '../platform/ids';
import type { Facts } from './model';
import { SIZES, type Dossier } from './rule';

/** A subject as the platform registers it. */
export interface SubjectRecord {
  kind: 'person' | 'enterprise';
  identifier: string;
  regionCode: string;
}

/** Tag namespaces of the platform's own tags (licences' `computeTags`) that become attributes. */
const ATTRIBUTE_NAMESPACES = new Set(['region', 'kind', 'licence', 'industry', 'size']);

/**
 * A subject's dossier for the rules: region and kind from the subject; birth date and sex from a
 * person's resident ID; licence types held and the platform's other tags from its tags
 * (`licence:<type>`; `industry:` and `size:` only when no fact says better); the facts sent by
 * other departments over everything else. Tags are sorted and distinct.
 */
export function assembleDossier(
  subject: SubjectRecord,
  platformTags: readonly string[],
  facts: Facts | null,
): Dossier {
  const dossier: Dossier = { kind: subject.kind, region: subject.regionCode };
  if (subject.kind === 'person') {
    const born = ricBirthDate(subject.identifier);
    const sex = ricSex(subject.identifier);
    if (born) dossier.birthDate = born;
    if (sex) dossier.sex = sex;
  }
  const licences = new Set<string>();
  const tags = new Set<string>(facts?.tags ?? []);
  for (const tag of platformTags) {
    const colon = tag.indexOf(':');
    const namespace = colon < 0 ? '' : tag.slice(0, colon);
    const value = colon < 0 ? tag : tag.slice(colon + 1);
    if (namespace === 'licence') licences.add(value);
    else if (namespace === 'industry') dossier.industry ??= value;
    else if (namespace === 'size' && (SIZES as readonly string[]).includes(value))
      dossier.size ??= value as Dossier['size'];
    else if (!ATTRIBUTE_NAMESPACES.has(namespace)) tags.add(tag);
  }
  for (const [key, value] of Object.entries(facts ?? {}))
    if (key !== 'tags') (dossier as Record<string, unknown>)[key] = value;
  if (licences.size > 0) dossier.licences = [...licences].sort();
  if (tags.size > 0) dossier.tags = [...tags].sort();
  return dossier;
}
