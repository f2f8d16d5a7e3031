// Codes and labels of e-licences (电子证照), free of Node imports so the web app can read them.
import type { Text } from '../platform/i18n';

/** Stored statuses of a licence; `expired` is computed from its validity, never stored. */
export const STORED_STATUSES = ['valid', 'suspended', 'revoked', 'replaced'] as const;
/** A stored status. */
export type StoredStatus = (typeof STORED_STATUSES)[number];

/** Every status a licence shows: the stored ones and `expired`. */
export const LICENCE_STATUSES = ['valid', 'suspended', 'revoked', 'expired', 'replaced'] as const;
/** A status as shown. */
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

/** Labels of the statuses. */
export const STATUS_LABELS: Record<LicenceStatus, Text> = {
  valid: { zh: '有效', en: 'valid' },
  suspended: { zh: '暂扣（中止）', en: 'suspended' },
  revoked: { zh: '已撤销（吊销）', en: 'revoked' },
  expired: { zh: '已过期', en: 'expired' },
  replaced: { zh: '已换发', en: 'replaced' },
};

/** Who holds a licence: a natural person (resident ID) or an enterprise (credit code). */
export const HOLDER_KINDS = ['person', 'enterprise'] as const;
/** A holder kind. */
export type HolderKind = (typeof HOLDER_KINDS)[number];

/** Types of the fields a licence type declares. */
export const FIELD_TYPES = ['text', 'date', 'number', 'identifier', 'money'] as const;
/** A field type. */
export type FieldType = (typeof FIELD_TYPES)[number];

/** Status changes staff may make, and the status each leads to. */
export const STATUS_ACTIONS = {
  suspend: 'suspended',
  revoke: 'revoked',
  reinstate: 'valid',
} as const satisfies Record<string, StoredStatus>;
/** A status change. */
export type StatusAction = keyof typeof STATUS_ACTIONS;

/** The root OID of e-licence identifiers (电子证照根代码, GB/T 36904-2018). */
export const LICENCE_OID = '1.2.156.3005.2';
