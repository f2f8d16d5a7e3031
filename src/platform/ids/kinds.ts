/** The identifier kinds OneThing validates. */
export type IdKind = 'uscc' | 'ric' | 'region' | 'mobile';

/** Every identifier kind, in a stable order for schemas and pickers (no I/O, safe for the browser). */
export const ID_KINDS = ['uscc', 'ric', 'region', 'mobile'] as const satisfies readonly IdKind[];
