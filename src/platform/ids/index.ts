// Public surface of the identifier validators: pure checks for USCC, RIC, division codes and mobiles.
export {
  ID_KINDS,
  checkIdentifier,
  checkMobile,
  checkRegionCode,
  checkRic,
  checkUscc,
  maskIdentifier,
  organisationCodeCheckChar,
  ricBirthDate,
  ricCheckChar,
  ricSex,
  usccCheckChar,
} from './validators';
export type { IdCheck, IdFailure, IdKind } from './validators';
export { childRegionCodes, findRegionCode, isKnownProvinceCode } from './region-codes';
export type { RegionCodeEntry } from './region-codes';
