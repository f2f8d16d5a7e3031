// Resident IDs (18 characters, or the old 15 digits) and mainland mobile numbers, where they stand alone.
const RESIDENT_ID = /(?<![0-9A-Za-z])(\d{6})(\d{8}|\d{5})(\d{3}[\dXx]|\d)(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(?:\+?86)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;

/**
 * Masks resident ID numbers and mobile numbers in free text (URLs, messages) before it is logged:
 * 371002199001011234 → 371002********1234, 13812345678 → 138****5678.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(RESIDENT_ID, (_m, region: string, middle: string, tail: string) => {
      const last = tail.length === 4 ? tail : `${middle.slice(-3)}${tail}`;
      return `${region}${'*'.repeat(middle.length + tail.length - last.length)}${last}`;
    })
    .replace(MOBILE, (_m, head: string, _mid: string, last: string) => `${head}****${last}`);
}
