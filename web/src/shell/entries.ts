import type { Role } from '../features/platform/api';
import type { Text } from './i18n';

/** The three entries of OneThing (DESIGN.md, "Web"). */
export type EntryKey = 'hall' | 'workbench' | 'cockpit';

/** One entry: where it lives, what it is called and who may use it. */
export interface Entry {
  key: EntryKey;
  path: string;
  label: Text;
  /** The roles allowed in; `null` means public, no sign-in needed. */
  roles: readonly Role[] | null;
}

/** The entries in navigation order. */
export const entries: readonly Entry[] = [
  { key: 'hall', path: '/', label: { zh: '办事大厅', en: 'Service hall' }, roles: null },
  {
    key: 'workbench',
    path: '/workbench',
    label: { zh: '工作台', en: 'Workbench' },
    roles: ['clerk', 'reviewer', 'operator', 'handler', 'inspector', 'supervisor', 'admin'],
  },
  {
    key: 'cockpit',
    path: '/cockpit',
    label: { zh: '驾驶舱', en: 'Cockpit' },
    roles: ['supervisor', 'admin'],
  },
];

/** The entry with the given key. */
export function entryOf(key: EntryKey): Entry {
  const entry = entries.find((candidate) => candidate.key === key);
  if (!entry) throw new Error(`unknown entry ${key}`);
  return entry;
}

/** Whether someone with `role` (or nobody, when null) may use the entry. */
export function mayEnter(entry: Entry, role: Role | null): boolean {
  if (entry.roles === null) return true;
  return role !== null && entry.roles.includes(role);
}

/** The entry a role naturally starts in after signing in. */
export function homeEntryOf(role: Role): Entry {
  if (role === 'citizen' || role === 'enterprise') return entryOf('hall');
  if (role === 'supervisor') return entryOf('cockpit');
  return entryOf('workbench');
}

/**
 * The `next` target after signing in, if it is safe to follow: a path on this site
 * (not `//host` or a full URL, which would make the sign-in page an open redirect).
 */
export function safeNextPath(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return null;
  }
  if (next === '/signin' || next.startsWith('/signin?')) return null;
  return next;
}
