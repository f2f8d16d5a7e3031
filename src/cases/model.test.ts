import { describe, expect, it } from 'vitest';
import type { BundleMaterial, Guide } from '../bundles';
import type { Actor } from '../platform/auth/model';
import {
  APPLICATION_STATUSES,
  TRANSITIONS,
  allowedActions,
  canRead,
  checkAcceptance,
  checkCorrectionItems,
  checkDeficiency,
  checkPledges,
  checkTransition,
  clockEvents,
  displayFilename,
  materialViews,
  missingProblems,
  nextStatus,
  outstandingMaterials,
  prefillData,
  type AccessFacts,
  type ApplicationStatus,
  type IntakeAction,
} from './model';

const STATUSES = Object.keys(APPLICATION_STATUSES) as ApplicationStatus[];

describe('the application state machine', () => {
  // Every (status, action) pair, and where it leads; null where it is refused.
  const table: Record<IntakeAction, Partial<Record<ApplicationStatus, ApplicationStatus>>> = {
    update: { draft: 'draft', correction: 'correction' },
    upload: { draft: 'draft', correction: 'correction' },
    submit: { draft: 'submitted', correction: 'submitted' },
    withdraw: { draft: 'withdrawn', submitted: 'withdrawn', correction: 'withdrawn' },
    accept: { submitted: 'accepted' },
    'accept-with-deficiency': { submitted: 'accepted' },
    correction: { submitted: 'correction' },
    refuse: { submitted: 'refused' },
  };

  for (const action of Object.keys(TRANSITIONS) as IntakeAction[]) {
    for (const status of STATUSES) {
      const expected = table[action][status] ?? null;
      it(`${action} from ${status} ${expected ? `leads to ${expected}` : 'is refused'}`, () => {
        expect(nextStatus(status, action)).toBe(expected);
        if (expected) expect(checkTransition(status, action)).toBe(expected);
        else expect(() => checkTransition(status, action)).toThrow(/cannot/);
      });
    }
  }

  it('names the state and the action in both languages when refusing', () => {
    try {
      checkTransition('refused', 'accept');
      expect.unreachable();
    } catch (error: any) {
      expect(error.status).toBe(409);
      expect(error.code).toBe('cases.invalid_state');
      expect(error.text.zh).toContain('不予受理');
      expect(error.text.en).toContain('refused');
    }
  });

  it('stops the clock on correction and restarts it on resubmission only', () => {
    expect(clockEvents('submitted', 'correction')).toEqual(['clock_stopped']);
    expect(clockEvents('correction', 'submitted')).toEqual(['clock_restarted']);
    expect(clockEvents('correction', 'withdrawn')).toEqual([]);
    expect(clockEvents('draft', 'submitted')).toEqual([]);
  });
});

describe('who may do what', () => {
  const actor = (role: Actor['role'], extra: Partial<Actor> = {}): Actor => ({
    userId: `${role}-id`,
    username: role,
    role,
    regionCode: '371000',
    departmentId: null,
    subjectId: null,
    ...extra,
  });
  const app = (extra: Partial<AccessFacts> = {}): AccessFacts => ({
    status: 'submitted',
    subjectId: 'subject-1',
    createdBy: 'someone',
    assistedBy: null,
    inActorRegion: true,
    ...extra,
  });
  const owner = actor('enterprise', { subjectId: 'subject-1' });

  it('lets the applicant see and edit their own, and nobody else’s', () => {
    expect(canRead(owner, app({ status: 'draft' }))).toBe(true);
    expect(canRead(actor('citizen', { subjectId: 'subject-2' }), app())).toBe(false);
    expect(allowedActions(owner, app({ status: 'draft' }))).toEqual([
      'update',
      'upload',
      'submit',
      'withdraw',
    ]);
    expect(allowedActions(owner, app())).toEqual(['withdraw']);
  });

  it('keeps drafts from staff, except the clerk who applies on the subject’s behalf', () => {
    expect(canRead(actor('clerk'), app({ status: 'draft' }))).toBe(false);
    expect(canRead(actor('admin'), app({ status: 'draft' }))).toBe(false);
    expect(canRead(actor('clerk'), app({ status: 'draft', assistedBy: 'clerk-id' }))).toBe(true);
  });

  it('lets clerks of the region decide, supervisors read, and no one outside the region', () => {
    expect(allowedActions(actor('clerk'), app())).toEqual([
      'accept',
      'accept-with-deficiency',
      'correction',
      'refuse',
    ]);
    expect(canRead(actor('clerk'), app({ inActorRegion: false }))).toBe(false);
    expect(canRead(actor('supervisor'), app())).toBe(true);
    expect(allowedActions(actor('supervisor'), app())).toEqual([]);
    expect(canRead(actor('reviewer'), app())).toBe(false);
    expect(canRead(actor('admin'), app({ inActorRegion: false }))).toBe(true);
  });
});

const text = (s: string) => ({ zh: s, en: s });

function material(key: string, extra: Partial<BundleMaterial> = {}): BundleMaterial {
  return {
    key,
    name: text(key),
    forms: ['electronic'],
    copies: 0,
    provision: 'upload',
    deficiencyAllowed: false,
    pledgeAllowed: false,
    ...extra,
  };
}

const MATERIALS = [
  material('articles'),
  material('residence', { pledgeAllowed: true }),
  material('accounting', { deficiencyAllowed: true }),
  material('signed', { provision: 'online-sign' }),
  material('licence', { provision: 'result' }),
  material('not-applicable'),
];

function guideOf(keys: string[]): Pick<Guide, 'materials' | 'problems'> {
  return {
    materials: MATERIALS.filter((m) => keys.includes(m.key)).map((m) => ({
      ...m,
      usedBy: [],
      reason: { always: true, because: [] },
    })),
    problems: [],
  };
}

const APPLIES = ['articles', 'residence', 'accounting', 'signed', 'licence'];
const upload = (materialKey: string) => ({
  id: `u-${materialKey}`,
  materialKey,
  filename: 'a.pdf',
  contentType: 'application/pdf',
  size: 1,
  sha256: 'x',
  uploadedAt: '2026-01-01T00:00:00.000Z',
});

describe('materials and what still blocks submission', () => {
  it('marks what applies and what is pledged; results of earlier items are never owed', () => {
    const views = materialViews(MATERIALS, guideOf(APPLIES), ['residence', 'articles'], []);
    const by = Object.fromEntries(views.map((v) => [v.key, v]));
    expect(by['not-applicable']!.required).toBe(false);
    expect(by.residence!.pledged).toBe(true);
    // A pledge counts only where the material allows one.
    expect(by.articles!.pledged).toBe(false);
    expect(by.licence!.required).toBe(true);
    expect(outstandingMaterials(views).map((m) => m.key)).toEqual(['articles', 'accounting']);
  });

  it('blocks submission on owed materials, except those that may follow later', () => {
    const views = materialViews(MATERIALS, guideOf(APPLIES), [], []);
    const missing = missingProblems(
      { problems: [{ path: 'answers.q', rule: 'required', message: text('q') }] },
      [{ path: 'data.name', rule: 'required', message: text('name') }],
      views,
    );
    expect(missing.map((p) => `${p.path}:${p.rule}`)).toEqual([
      'answers.q:required',
      'data.name:required',
      'materials.articles:upload',
      'materials.residence:upload_or_pledge',
    ]);
  });

  it('accepts plainly only with everything there, and with deficiency only for what may follow', () => {
    const views = materialViews(MATERIALS, guideOf(APPLIES), ['residence'], [upload('articles')]);
    expect(checkAcceptance(views).map((p) => p.path)).toEqual(['materials.accounting']);
    expect(
      checkDeficiency(views, { materials: ['accounting'], dueDate: '2026-02-01' }, '2026-01-15'),
    ).toEqual([]);
    const wrong = checkDeficiency(
      views,
      { materials: ['articles', 'not-applicable'], dueDate: '2026-01-15' },
      '2026-01-15',
    );
    expect(wrong.map((p) => `${p.path}:${p.rule}`)).toEqual([
      'body.materials.0:deficiency_allowed',
      'body.materials.1:applies',
      'body.dueDate:future',
      'body.materials:covers_outstanding',
    ]);
  });

  it('checks pledges and correction items against the lists', () => {
    expect(checkPledges(MATERIALS, ['residence'])).toEqual([]);
    expect(checkPledges(MATERIALS, ['articles', 'nope']).map((p) => p.rule)).toEqual([
      'pledge_allowed',
      'exists',
    ]);
    const views = materialViews(MATERIALS, guideOf(APPLIES), [], []);
    expect(
      checkCorrectionItems(
        [{ material: 'articles', note: 'x' }, { field: 'nope', note: 'y' }, { note: 'general' }],
        views,
        [{ key: 'domicile' }],
      ).map((p) => p.path),
    ).toEqual(['body.items.1.field']);
  });
});

describe('prefill and file names', () => {
  const form = [
    { key: 'name', type: 'text' },
    { key: 'ric', type: 'identifier', identifierKind: 'ric' },
    { key: 'mobile', type: 'identifier', identifierKind: 'mobile' },
    { key: 'uscc', type: 'identifier', identifierKind: 'uscc' },
  ];
  const person = {
    kind: 'person' as const,
    name: '张伟',
    identifier: '371002198603141234',
    mobile: '13906310001',
    regionCode: '371002',
  };

  it('fills only the fields the table lists for the bundle and the subject’s kind', () => {
    expect(prefillData('retirement', form, person)).toEqual({
      name: '张伟',
      ric: '371002198603141234',
      mobile: '13906310001',
    });
    // An enterprise's code never lands in a person's field, nor a person's ID in a USCC field.
    expect(
      prefillData('retirement', form, { ...person, kind: 'enterprise', identifier: 'X' }),
    ).toEqual({});
    expect(prefillData('utility-connection', form, { ...person, kind: 'enterprise' })).toEqual({
      mobile: '13906310001',
      uscc: '371002198603141234',
    });
    // Unknown bundles use the generic applicant fields only.
    expect(prefillData('unknown', form, person)).toEqual({});
  });

  it('cleans file names for display', () => {
    expect(displayFilename('../../etc/passwd')).toBe('passwd');
    expect(displayFilename('C:\\Users\\x\\章程.pdf')).toBe('章程.pdf');
    expect(displayFilename('a\u0000b"<c>.pdf')).toBe('abc.pdf');
    expect(displayFilename('...')).toBe('file');
    expect(displayFilename(undefined)).toBe('file');
    const long = displayFilename(`${'长'.repeat(200)}.pdf`);
    expect(long).toHaveLength(120);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});
