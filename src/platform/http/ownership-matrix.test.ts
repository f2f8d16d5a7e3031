import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes, pngBytes } from '../../cases/fixtures';
import {
  COMPANY_ANSWERS,
  OPENING_ANSWERS,
  OPENING_PLEDGES,
  openingData,
} from '../../cases/samples';
import {
  MultipartBody,
  NO_RECORD,
  bodySamples,
  departmentPair,
  placedUsers,
  regionPair,
  sendMultipart,
  type Placement,
} from '../../../test/support/ownership';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { addMonths } from '../../supervision/credit';
import { toLocalDate } from '../calendar';

// The ownership half of the access matrix (the role half is access-matrix.test.ts). Every /api route
// that declares scope own, department or region and addresses a record by a path parameter must
// appear in the fixture table below or in an exclusion with its reason, so a new route cannot skip
// the matrix. For each covered route, a caller of the same role from another subject, department or
// region is refused with 404 (the project's convention: a record one may not see does not exist for
// them), the owner is let through, and lists show the owner's record to the owner only.

/** `METHOD /api/url/:param`, as in the access table. */
type RouteKey = string;

/** One proof on one route: `other` is refused on `path`, `owner` is admitted. */
interface RecordCheck {
  kind: 'record';
  route: RouteKey;
  path: string;
  owner: string;
  other: string;
  /** A body that passes the route's schema, so the refusal comes from the ownership check. */
  body?: unknown;
}

/** A list must carry `id` for `owner` and not for `other`. */
interface ListCheck {
  kind: 'list';
  route: RouteKey;
  path: string;
  owner: string;
  other: string;
  id: string;
}

type Check = RecordCheck | ListCheck;

/**
 * Scoped routes with a record parameter that the matrix does not cover, each with the reason why
 * it cannot be (none today: every such route has a fixture). A missing fixture is a gap to close,
 * not a reason.
 */
const EXCLUDED: Record<RouteKey, string> = {};

/**
 * Routes where another subject, department or region is NOT refused today. The test fails when this
 * list is not exactly the set it finds, so a fixed leak must leave the list too.
 */
const KNOWN_LEAKS: readonly RouteKey[] = [];

const SCOPED = new Set(['own', 'department', 'region']);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe('the ownership matrix over every scoped route', () => {
  let server: TestServer;
  let place: ReturnType<typeof placedUsers>;
  let samples: Map<string, unknown>;
  const cookies = new Map<string, string>();
  const checks: Check[] = [];
  const fixtureErrors: string[] = [];

  /** Signs in (once) a demo account or a placed user and returns the username. */
  async function who(user: string | Placement): Promise<string> {
    if (typeof user !== 'string') {
      const placed = await place(user);
      cookies.set(placed.username, placed.cookie);
      return placed.username;
    }
    if (!cookies.has(user)) cookies.set(user, await server.signIn(user));
    return user;
  }

  function call(method: string, path: string, user: string, body?: unknown) {
    // creating writes are idempotent by key; a fresh key makes each call a new request
    const headers: Record<string, string> = WRITES.has(method)
      ? { 'idempotency-key': randomUUID() }
      : {};
    if (body instanceof MultipartBody) {
      const cookie = cookies.get(user);
      return sendMultipart(server, method, path, body, cookie ? { ...headers, cookie } : headers);
    }
    return server.api(path, { method, cookie: cookies.get(user), body, headers });
  }

  async function expectOk(method: string, path: string, user: string, body?: unknown) {
    const reply = await call(method, path, user, body ?? (WRITES.has(method) ? {} : undefined));
    expect(
      reply.status,
      `${method} ${path} as ${user}: ${JSON.stringify(reply.body)}`,
    ).toBeLessThan(300);
    return reply.body;
  }

  async function subjectOf(name: string) {
    return server.db.kysely
      .selectFrom('subjects')
      .select(['id', 'regionCode', 'kind'])
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
  }

  /** A citizen other than the demo citizen: 李娜. */
  async function otherCitizen(): Promise<Placement> {
    const li = await subjectOf('李娜');
    return { role: 'citizen', region: li.regionCode, subject: li.id };
  }

  /** An enterprise other than the demo enterprise: 荣成远帆水产有限公司. */
  async function otherEnterprise(): Promise<Placement> {
    const b = await subjectOf('荣成远帆水产有限公司');
    return { role: 'enterprise', region: b.regionCode, subject: b.id };
  }

  /** Adds a record check on every listed route of one record. */
  async function onRecord(
    routes: RouteKey[],
    path: (url: string) => string,
    owner: string | Placement,
    other: string | Placement,
    bodies: Record<RouteKey, unknown> = {},
  ) {
    const [o, x] = [await who(owner), await who(other)];
    for (const route of routes) {
      const [method, url] = route.split(' ') as [string, string];
      const body =
        WRITES.has(method) && method !== 'DELETE'
          ? (bodies[route] ?? samples.get(route) ?? {})
          : undefined;
      // a sample body naming a record that does not exist would earn a 404 of its own
      if (JSON.stringify(body ?? null).includes(NO_RECORD)) {
        throw new Error(`${route}: the sample body names no real record; give the fixture one`);
      }
      checks.push({ kind: 'record', route, path: path(url), owner: o, other: x, body });
    }
  }

  async function onList(
    route: RouteKey,
    path: string,
    id: string,
    owner: string | Placement,
    other: string | Placement,
  ) {
    checks.push({
      kind: 'list',
      route,
      path,
      id,
      owner: await who(owner),
      other: await who(other),
    });
  }

  // ---- fixtures, one per capability: each makes a record of A and names A's owner and B ----

  /** Hotline: a ticket of Huancui (371002) dispatched to the Huancui urban management bureau. */
  async function hotline() {
    const complaint = {
      channel: 'phone',
      type: 'complaint',
      categoryCode: 'CS-01',
      regionCode: '371002',
      address: '环翠区青岛中路88号东侧',
      content: '青岛中路88号东侧垃圾桶满溢多日无人清运，气味很大，请尽快处理。',
      requesterName: '郑海',
      requesterMobile: '13906319001',
    };
    const registered = await expectOk(
      'POST',
      '/api/hotline/tickets',
      await who('operator'),
      complaint,
    );
    const id = registered.id as string;
    // a ticket the other zone's operator sees, to merge into: the target is checked first, and an
    // unseen target is refused as absent (422) before the source is looked at
    const second = await expectOk('POST', '/api/hotline/tickets', 'operator', {
      ...complaint,
      regionCode: '371072',
      address: '经区海南路18号',
      requesterMobile: '13906319002',
    });
    if (!/^GD[0-9]{14}$/.test(second.number)) throw new Error('a ticket number is GD + 14 digits');
    const ticket = (url: string) => url.replace(':id', id);
    // the region's supervisor and a supervisor of another zone; an operator of another zone
    const huancui: Placement = { role: 'supervisor', region: '371002', department: 'huancui-cg' };
    const etdz: Placement = { role: 'supervisor', region: '371072', department: 'etdz-xzsp' };
    const operatorElsewhere: Placement = {
      role: 'operator',
      region: '371072',
      department: 'etdz-xzsp',
    };
    await onRecord(
      [
        'PATCH /api/hotline/tickets/:id',
        'POST /api/hotline/tickets/:id/answer',
        'POST /api/hotline/tickets/:id/dispatch',
        'POST /api/hotline/tickets/:id/review',
        'POST /api/hotline/tickets/:id/callback',
        'POST /api/hotline/tickets/:id/close',
        'POST /api/hotline/tickets/:id/reopen',
        'POST /api/hotline/tickets/:id/extension/decision',
        'POST /api/hotline/tickets/:id/merge',
      ],
      ticket,
      'operator',
      operatorElsewhere,
      {
        'POST /api/hotline/tickets/:id/dispatch': { department: 'huancui-cg' },
        'POST /api/hotline/tickets/:id/merge': { into: second.number },
      },
    );
    await onRecord(['POST /api/hotline/tickets/:id/escalate'], ticket, huancui, etdz);
    await onRecord(['GET /api/hotline/tickets/:id'], ticket, huancui, etdz);
    await onList('GET /api/hotline/tickets', '/api/hotline/tickets?limit=200', id, huancui, etdz);
    // a photo attached by the operator: another zone's operator may not attach, another zone's
    // supervisor may not download
    const photo = new MultipartBody(
      {},
      { name: 'photo.png', bytes: pngBytes(), type: 'image/png' },
    );
    const attached = await expectOk(
      'POST',
      ticket('/api/hotline/tickets/:id/attachments'),
      'operator',
      photo,
    );
    await onRecord(
      ['POST /api/hotline/tickets/:id/attachments'],
      ticket,
      'operator',
      operatorElsewhere,
      { 'POST /api/hotline/tickets/:id/attachments': photo },
    );
    await onRecord(
      ['GET /api/hotline/tickets/:id/attachments/:attachment'],
      (url) => ticket(url).replace(':attachment', attached.attachments[0].id),
      huancui,
      etdz,
    );
    // dispatched to the Huancui bureau: its handler acts, the ETDZ handler does not see it
    await expectOk('POST', ticket('/api/hotline/tickets/:id/dispatch'), 'operator', {
      department: 'huancui-cg',
    });
    await onRecord(
      [
        'POST /api/hotline/tickets/:id/sign',
        'POST /api/hotline/tickets/:id/return',
        'POST /api/hotline/tickets/:id/contact',
        'POST /api/hotline/tickets/:id/opinion',
        'POST /api/hotline/tickets/:id/reply',
        'POST /api/hotline/tickets/:id/extension',
      ],
      ticket,
      'handler',
      'handler-etdz',
    );
    // a citizen's own ticket, filed in the hall
    const zhang = await subjectOf('张伟');
    const own = await expectOk('POST', '/api/hotline/my-tickets', await who('citizen'), {
      type: 'suggestion',
      categoryCode: 'CS-01',
      regionCode: '371002',
      address: '环翠区青岛中路88号东侧',
      content: '建议在青岛中路88号东侧增设分类垃圾桶，方便居民投放。',
    });
    const stranger = await otherCitizen();
    void zhang;
    await onRecord(
      ['GET /api/hotline/tickets/:id'],
      (url) => url.replace(':id', own.id),
      'citizen',
      stranger,
    );
    await onList(
      'GET /api/hotline/my-tickets',
      '/api/hotline/my-tickets',
      own.id,
      'citizen',
      stranger,
    );
  }

  /** Cases: an enterprise opening of the demo enterprise, fanned out to department cases. */
  async function cases() {
    const enterprise = await who('enterprise');
    const created = await expectOk('POST', '/api/applications', enterprise, {
      bundleCode: 'enterprise-opening',
      answers: OPENING_ANSWERS,
      data: openingData(901),
      pledges: OPENING_PLEDGES,
      submit: true,
    });
    const id = created.id as string;
    const app = (url: string) => url.replace(':id', id);
    const row = await server.db.kysely
      .selectFrom('applications')
      .select('regionCode')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const region = row.regionCode;
    const stranger = await otherEnterprise();
    // staff of a region that does not cover the application's
    const [supervisorHere, supervisorElsewhere] = regionPair('supervisor', region, 'zfb');
    const [clerkHere, clerkElsewhere] = regionPair('clerk', region, 'xzsp');
    const reads = [
      'GET /api/applications/:id',
      'GET /api/applications/:id/timeline',
      'GET /api/applications/:id/results',
    ];
    await onRecord(reads, app, 'enterprise', stranger);
    await onRecord(reads, app, supervisorHere, supervisorElsewhere);
    await onRecord(
      [
        'PUT /api/applications/:id',
        'POST /api/applications/:id/submit',
        'POST /api/applications/:id/withdraw',
      ],
      app,
      'enterprise',
      stranger,
    );
    await onRecord(
      [
        'POST /api/applications/:id/accept',
        'POST /api/applications/:id/accept-with-deficiency',
        'POST /api/applications/:id/correction',
        'POST /api/applications/:id/refuse',
      ],
      app,
      clerkHere,
      clerkElsewhere,
      {
        'POST /api/applications/:id/accept-with-deficiency': {
          ...(samples.get('POST /api/applications/:id/accept-with-deficiency') as object),
          materials: ['residence-proof'],
        },
      },
    );
    await onList(
      'GET /api/applications',
      '/api/applications?limit=200',
      id,
      'enterprise',
      stranger,
    );
    await onList(
      'GET /api/applications',
      '/api/applications?limit=200',
      id,
      supervisorHere,
      supervisorElsewhere,
    );

    const listed = await expectOk(
      'GET',
      `/api/cases?application=${id}&limit=200`,
      await who('admin'),
    );
    const first = listed.items[0] as { id: string; departmentCode: string };
    const kase = (url: string) => url.replace(':id', first.id);
    const [reviewerHere, reviewerElsewhere] = departmentPair(
      'reviewer',
      '371000',
      first.departmentCode,
    );
    await onRecord(
      [
        'GET /api/cases/:id',
        'POST /api/cases/:id/accept',
        'POST /api/cases/:id/start-review',
        'POST /api/cases/:id/approve',
        'POST /api/cases/:id/deny',
        'POST /api/cases/:id/issue-result',
        'POST /api/cases/:id/return',
        'POST /api/cases/:id/resume',
        'POST /api/cases/:id/suspend',
        'POST /api/cases/:id/extend',
      ],
      kase,
      reviewerHere,
      reviewerElsewhere,
    );
    await onRecord(
      ['GET /api/cases/:id', 'POST /api/cases/:id/approve-extension', 'POST /api/cases/:id/urge'],
      kase,
      supervisorHere,
      supervisorElsewhere,
    );
    await onRecord(
      ['POST /api/cases/:id/correct', 'POST /api/cases/:id/withdraw'],
      kase,
      'enterprise',
      stranger,
    );
    await onList(
      'GET /api/cases',
      '/api/cases?limit=200',
      first.id,
      reviewerHere,
      reviewerElsewhere,
    );
    await onList(
      'GET /api/cases',
      '/api/cases?limit=200',
      first.id,
      supervisorHere,
      supervisorElsewhere,
    );
  }

  /** Licences: a demo licence of the demo citizen, issued by a city department. */
  async function licences() {
    const zhang = await subjectOf('张伟');
    const licence = await server.db.kysely
      .selectFrom('licences')
      .select(['id', 'issuerDepartmentCode'])
      .where('subjectId', '=', zhang.id)
      .executeTakeFirstOrThrow();
    const path = (url: string) => url.replace(':id', licence.id);
    const stranger = await otherCitizen();
    await onRecord(
      ['GET /api/licences/:id', 'POST /api/licences/:id/shares', 'GET /api/licences/:id/shares'],
      path,
      'citizen',
      stranger,
      { 'POST /api/licences/:id/shares': { fields: [] } },
    );
    const [reviewerHere, reviewerElsewhere] = departmentPair(
      'reviewer',
      '371000',
      licence.issuerDepartmentCode,
    );
    await onRecord(
      [
        'GET /api/licences/:id',
        'POST /api/licences/:id/suspend',
        'POST /api/licences/:id/revoke',
        'POST /api/licences/:id/reinstate',
        'POST /api/licences/:id/replace',
      ],
      path,
      reviewerHere,
      reviewerElsewhere,
    );
    await onList('GET /api/licences/mine', '/api/licences/mine', licence.id, 'citizen', stranger);
    const share = await expectOk('POST', path('/api/licences/:id/shares'), 'citizen', {
      fields: [],
    });
    await onRecord(
      ['DELETE /api/licences/:id/shares/:shareId'],
      (url) => path(url).replace(':shareId', share.id),
      'citizen',
      stranger,
    );
  }

  /** Dossiers and subject-keyed routes: the demo citizen of Huancui (371002). */
  async function dossiers() {
    const zhang = await subjectOf('张伟');
    const path = (url: string) => url.replace(/:subject(Id)?/, zhang.id);
    const clerkHere: Placement = { role: 'clerk', region: '371002', department: 'huancui-cg' };
    const clerkElsewhere: Placement = { role: 'clerk', region: '371072', department: 'etdz-xzsp' };
    await onRecord(
      [
        'GET /api/dossiers/:subject',
        'POST /api/dossiers/:subject/tags/refresh',
        'GET /api/policies/dossiers/:subjectId',
      ],
      path,
      clerkHere,
      clerkElsewhere,
    );
    await onList(
      'GET /api/dossiers',
      `/api/dossiers?q=${encodeURIComponent('张伟')}&limit=100`,
      zhang.id,
      clerkHere,
      clerkElsewhere,
    );
    const star = await subjectOf('威海星屿海洋食品有限公司');
    await onRecord(
      ['PUT /api/supervision/targets/:subjectId/risk'],
      (url) => url.replace(':subjectId', star.id),
      // supervisors are declared but refused by the handler itself: inspectors set risk levels
      { role: 'inspector', region: star.regionCode, department: 'scjg' },
      { role: 'inspector', region: '371072', department: 'scjg' },
    );
  }

  /** Policy grants (免申即享): a seeded grant, its subject and its paying department. */
  async function grants() {
    const grant = await server.db.kysely
      .selectFrom('policyGrants')
      .innerJoin('subjects', 'subjects.id', 'policyGrants.subjectId')
      .select([
        'policyGrants.id',
        'policyGrants.departmentCode',
        'subjects.id as subjectId',
        'subjects.kind',
        'subjects.regionCode',
      ])
      .executeTakeFirstOrThrow();
    const role = grant.kind === 'person' ? 'citizen' : 'enterprise';
    const otherSubject = await server.db.kysely
      .selectFrom('subjects')
      .select(['id', 'regionCode'])
      .where('kind', '=', grant.kind)
      .where('id', '!=', grant.subjectId)
      .where('id', 'not in', server.db.kysely.selectFrom('policyGrants').select('subjectId'))
      .executeTakeFirstOrThrow();
    const path = (url: string) => url.replace(':id', grant.id).replace(':action', 'confirm');
    const holder: Placement = { role, region: grant.regionCode, subject: grant.subjectId };
    const stranger: Placement = { role, region: otherSubject.regionCode, subject: otherSubject.id };
    await onRecord(['GET /api/policy-grants/:id'], path, holder, stranger);
    await onList(
      'GET /api/policy-grants',
      '/api/policy-grants?limit=100',
      grant.id,
      holder,
      stranger,
    );
    const [here, elsewhere] = departmentPair('reviewer', '371000', grant.departmentCode);
    await onRecord(
      ['GET /api/policy-grants/:id', 'POST /api/policy-grants/:id/:action'],
      path,
      here,
      elsewhere,
      { 'POST /api/policy-grants/:id/:action': { version: 1 } },
    );
    await onList(
      'GET /api/policy-grants',
      '/api/policy-grants?limit=100',
      grant.id,
      here,
      elsewhere,
    );
  }

  /** The reform-task ledger: a task of the city (371000), not visible to a district. */
  async function ledger() {
    const task = await server.db.kysely
      .selectFrom('ledgerTasks')
      .select(['id', 'regionCode'])
      .where('regionCode', '=', '371000')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const path = (url: string) => url.replace(':id', encodeURIComponent(task.id));
    const here: Placement = { role: 'supervisor', region: '371000', department: 'zfb' };
    const elsewhere: Placement = { role: 'supervisor', region: '371002', department: 'huancui-cg' };
    await onRecord(
      [
        'GET /api/insight/ledger/tasks/:id',
        'POST /api/insight/ledger/tasks/:id/progress',
        'POST /api/insight/ledger/tasks/:id/tick-off',
        'POST /api/insight/ledger/tasks/:id/reopen',
      ],
      path,
      here,
      elsewhere,
    );
  }

  /**
   * Supervision: a plan of the market regulator over the ETDZ, committed and drawn, and an
   * inspection of the demo enterprise filed under it by the demo inspector.
   */
  async function supervision() {
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const inspector = await who('inspector');
    // all market-regulation inspectors but one declare a conflict (回避) with the demo enterprise,
    // so the draw assigns it to the demo inspector, who may then file its inspection
    const lanshi = await subjectOf('威海澜石精密机械有限公司');
    const others = await server.db.kysely
      .selectFrom('inspectors')
      .select('id')
      .where('userId', 'is', null)
      .where('departmentCode', '=', 'scjg')
      .execute();
    await server.db.kysely
      .insertInto('inspectorConflicts')
      .values(
        // one stays free: a plan draws two inspectors per target
        others.slice(1).map((i) => ({
          inspectorId: i.id,
          subjectId: lanshi.id,
          regionCode: '371072',
          reason: '亲属任职',
          declaredAt: new Date(),
        })),
      )
      .execute();
    const plan = await expectOk('POST', '/api/supervision/plans', inspector, {
      title: '经开区食品安全抽查',
      itemCodes: ['scjg-food-safety'],
      regionCode: '371000',
      filters: { regions: ['371072'] },
      tierRatios: { A: 1, B: 1, C: 1, D: 1 },
      inspectorsPerTarget: 2,
      startsOn: day(0),
      endsOn: day(30),
    });
    const planPath = (url: string) => url.replace(':id', plan.id);
    await expectOk('POST', planPath('/api/supervision/plans/:id/commit'), inspector);
    await expectOk('POST', planPath('/api/supervision/plans/:id/draw'), inspector);
    await onRecord(
      ['POST /api/supervision/plans/:id/commit', 'POST /api/supervision/plans/:id/draw'],
      planPath,
      'inspector',
      'inspector-xfjy',
    );
    const filed = await expectOk('POST', '/api/supervision/inspections/file', inspector, {
      subjectId: lanshi.id,
      itemCodes: ['scjg-food-safety'],
      scheduledOn: day(0),
    });
    const path = (url: string) => url.replace(':id', filed.id);
    await onRecord(
      [
        'GET /api/supervision/inspections/:id',
        'POST /api/supervision/inspections/:id/check-in',
        'POST /api/supervision/inspections/:id/finish',
        'POST /api/supervision/inspections/:id/publish',
      ],
      path,
      'inspector',
      'inspector-xfjy',
    );
    const stranger = await otherEnterprise();
    await onRecord(
      [
        'GET /api/supervision/inspections/:id',
        'POST /api/supervision/inspections/:id/checkin-code',
      ],
      path,
      'enterprise',
      stranger,
    );
    const list = '/api/supervision/inspections?limit=100';
    await onList('GET /api/supervision/inspections', list, filed.id, 'inspector', 'inspector-xfjy');
    await onList('GET /api/supervision/inspections', list, filed.id, 'enterprise', stranger);
  }

  /** Messages: one of the demo messages, read by its recipient only. */
  async function messages() {
    const message = await server.db.kysely
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.userId')
      .select(['messages.id', 'users.username'])
      .executeTakeFirstOrThrow();
    const other = message.username === 'admin' ? 'supervisor' : 'admin';
    await onRecord(
      ['POST /api/messages/:id/read'],
      (url) => url.replace(':id', message.id),
      message.username,
      other,
    );
    await onList('GET /api/messages', '/api/messages', message.id, message.username, other);
  }

  /**
   * Uploads and notices: a draft of the demo enterprise with an uploaded articles of association,
   * and a second one submitted after its upload, so that it has a notice and department cases.
   */
  async function uploads() {
    const enterprise = await who('enterprise');
    const stranger = await otherEnterprise();
    const articles = new MultipartBody(
      { material: 'articles' },
      { name: '公司章程.pdf', bytes: pdfBytes('ownership matrix'), type: 'application/pdf' },
    );
    const draft = async (n: number) => {
      const created = await expectOk('POST', '/api/applications', enterprise, {
        bundleCode: 'enterprise-opening',
        // a company uploads its articles of association
        answers: COMPANY_ANSWERS,
        data: openingData(n, 'llc'),
        pledges: OPENING_PLEDGES,
      });
      const id = created.id as string;
      const upload = await expectOk(
        'POST',
        `/api/applications/${id}/materials`,
        enterprise,
        articles,
      );
      return { id, uploadId: upload.id as string };
    };
    const editable = await draft(911);
    await onRecord(
      [
        'POST /api/applications/:id/materials',
        'GET /api/applications/:id/materials/:uploadId',
        'DELETE /api/applications/:id/materials/:uploadId',
      ],
      (url) => url.replace(':id', editable.id).replace(':uploadId', editable.uploadId),
      'enterprise',
      stranger,
      { 'POST /api/applications/:id/materials': articles },
    );

    const sent = await draft(912);
    const submitted = await expectOk('POST', `/api/applications/${sent.id}/submit`, enterprise);
    const notice = (submitted.notices as { id: string }[])[0];
    if (!notice) throw new Error(`a submitted application has a notice: ${submitted.status}`);
    const region =
      submitted.regionCode ??
      (
        await server.db.kysely
          .selectFrom('applications')
          .select('regionCode')
          .where('id', '=', sent.id)
          .executeTakeFirstOrThrow()
      ).regionCode;
    const noticePath = (url: string) => url.replace(':id', sent.id).replace(':noticeId', notice.id);
    await onRecord(
      ['GET /api/applications/:id/notices/:noticeId'],
      noticePath,
      'enterprise',
      stranger,
    );
    await onRecord(
      ['GET /api/applications/:id/notices/:noticeId'],
      noticePath,
      ...regionPair('supervisor', region, 'zfb'),
    );
    // the department case that uses the articles: the one whose download the administrator gets
    const admin = await who('admin');
    const listed = await expectOk('GET', `/api/cases?application=${sent.id}&limit=200`, admin);
    let using: { id: string; departmentCode: string } | undefined;
    for (const item of listed.items as { id: string; departmentCode: string }[]) {
      const reply = await call('GET', `/api/cases/${item.id}/uploads/${sent.uploadId}`, admin);
      if (reply.status === 200) {
        using = item;
        break;
      }
    }
    if (!using) throw new Error('no department case of the application uses the articles');
    await onRecord(
      ['GET /api/cases/:id/uploads/:uploadId'],
      (url) => url.replace(':id', using.id).replace(':uploadId', sent.uploadId),
      ...departmentPair('reviewer', '371000', using.departmentCode),
    );
  }

  /**
   * 好差评: the demo citizen's opening completes at once; a bad rating of it opens a rectification
   * for the administrative-approval bureau (xzsp) under the application's region.
   */
  async function ratings() {
    const citizen = await who('citizen');
    const created = await expectOk('POST', '/api/applications', citizen, {
      bundleCode: 'enterprise-opening',
      answers: OPENING_ANSWERS,
      data: { ...openingData(913), 'trade-name': '归属精工' },
      submit: true,
    });
    await server.app.events.dispatch();
    const services = await expectOk(
      'GET',
      `/api/evaluations/services?number=${created.number}`,
      citizen,
    );
    const service = (services.items as { id: string; kind: string }[]).find(
      (s) => s.kind === 'application',
    );
    if (!service) throw new Error(`no rateable service of ${created.number}`);
    const rating = await expectOk('POST', '/api/ratings', citizen, {
      serviceId: service.id,
      level: 1,
      tags: ['slow', 'unclear'],
      comment: '等了很久，窗口也说不清楚要什么材料',
    });
    await onRecord(
      ['POST /api/ratings/:id/verdict'],
      (url) => url.replace(':id', rating.id),
      'citizen',
      await otherCitizen(),
      { 'POST /api/ratings/:id/verdict': { satisfied: true } },
    );
    const task = await server.db.kysely
      .selectFrom('rectifications')
      .select(['id', 'departmentCode', 'regionCode'])
      .where('ratingId', '=', rating.id)
      .executeTakeFirstOrThrow();
    const path = (url: string) => url.replace(':id', task.id);
    const note = '核查归属的测试说明文字，内容完整清楚便于审核人员阅读理解。';
    await onRecord(
      [
        'GET /api/rectifications/:id',
        'POST /api/rectifications/:id/submit',
        'POST /api/rectifications/:id/appeal',
      ],
      path,
      ...departmentPair('reviewer', task.regionCode, task.departmentCode),
      {
        'POST /api/rectifications/:id/submit': {
          explanation: note,
          fix: note,
          answer: note,
          callback: { at: new Date().toISOString(), note },
        },
        'POST /api/rectifications/:id/appeal': { reason: note },
      },
    );
    await onRecord(
      [
        'GET /api/rectifications/:id',
        'POST /api/rectifications/:id/approve',
        'POST /api/rectifications/:id/return',
        'POST /api/rectifications/:id/uphold',
        'POST /api/rectifications/:id/reject',
      ],
      path,
      ...regionPair('supervisor', task.regionCode, 'zfb'),
      {
        'POST /api/rectifications/:id/approve': { note },
        'POST /api/rectifications/:id/return': { note },
        'POST /api/rectifications/:id/uphold': { note },
        'POST /api/rectifications/:id/reject': { note },
      },
    );
  }

  /** Credit repair: a market-regulation penalty of the demo enterprise, repair asked by it. */
  async function creditRepair() {
    const lanshi = await subjectOf('威海澜石精密机械有限公司');
    const recorded = await expectOk(
      'POST',
      '/api/supervision/credit/records',
      await who('inspector'),
      {
        subjectId: lanshi.id,
        kind: 'penalty',
        severity: 'general',
        title: '未按规定公示食品安全信息（归属测试）',
        // old enough to be repaired
        decidedOn: addMonths(toLocalDate(new Date()), -4),
      },
    );
    const repair = await expectOk(
      'POST',
      '/api/supervision/credit/repairs',
      await who('enterprise'),
      {
        recordId: recorded.id,
        statement: '已全部整改并建立台账，接受回访',
      },
    );
    await onRecord(
      ['POST /api/supervision/credit/repairs/:id/decide'],
      (url) => url.replace(':id', repair.id),
      'inspector',
      'inspector-xfjy',
      { 'POST /api/supervision/credit/repairs/:id/decide': { approve: true, note: '整改到位' } },
    );
  }

  /** A policy's matches: a matched subject is listed to its region's supervisor only. */
  async function policyMatches() {
    const match = await server.db.kysely
      .selectFrom('policyMatches')
      .innerJoin('policies', 'policies.id', 'policyMatches.policyId')
      .select(['policies.code', 'policyMatches.subjectId', 'policyMatches.regionCode'])
      .where('policyMatches.status', '=', 'matched')
      .orderBy('policyMatches.subjectId')
      .executeTakeFirstOrThrow();
    await onList(
      'GET /api/policies/:code/matches',
      `/api/policies/${match.code}/matches?limit=100`,
      match.subjectId,
      ...regionPair('supervisor', match.regionCode, 'zfb'),
    );
  }

  /**
   * 免提交: the demo citizen's opening, whose residence proof is the founder's title certificate
   * attached in place of an upload, opened from the registration case by its department only.
   */
  async function licenceMaterial() {
    const created = await expectOk('POST', '/api/applications', await who('citizen'), {
      bundleCode: 'enterprise-opening',
      answers: OPENING_ANSWERS,
      // Han characters only: every case is decided by rule
      data: { ...openingData(914), 'trade-name': '归属海工' },
      submit: true,
    });
    const admin = await who('admin');
    const listed = await expectOk('GET', `/api/cases?application=${created.id}&limit=200`, admin);
    const registration = (
      listed.items as { id: string; memberKey: string; departmentCode: string }[]
    ).find((c) => c.memberKey === 'registration');
    if (!registration) throw new Error(`no registration case of ${created.number}`);
    const view = await expectOk('GET', `/api/cases/${registration.id}`, admin);
    const residence = (
      view.materials as {
        key: string;
        waived: { sources: { licence?: { id: string } }[] } | null;
      }[]
    ).find((m) => m.key === 'residence-proof');
    const attached = residence?.waived?.sources[0]?.licence;
    if (!attached) throw new Error('the residence proof is not waived by a licence');
    await onRecord(
      ['GET /api/cases/:id/materials/:material/licences/:licenceId'],
      (url) =>
        url
          .replace(':id', registration.id)
          .replace(':material', 'residence-proof')
          .replace(':licenceId', attached.id),
      ...departmentPair('reviewer', '371000', registration.departmentCode),
    );
  }

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all', env: { ONETHING_SLA_SWEEP_SECONDS: '0' } });
    place = placedUsers(server);
    samples = await bodySamples(server);
    for (const fixture of [
      hotline,
      cases,
      licences,
      dossiers,
      grants,
      ledger,
      supervision,
      messages,
      uploads,
      ratings,
      creditRepair,
      policyMatches,
      licenceMaterial,
    ]) {
      // one broken fixture must not hide the others' results
      await fixture().catch((error: Error) =>
        fixtureErrors.push(`${fixture.name}: ${error.message}`),
      );
    }
    // seeding every capability dominates: over a minute on a busy two-core machine
  }, 420_000);
  afterAll(() => server?.close());

  it('covers or excludes, with a reason, every scoped route that addresses a record', () => {
    expect.soft(fixtureErrors).toEqual([]);
    const covered = new Set(checks.map((c) => c.route));
    const routes = server.app.accessTable.filter((r) => SCOPED.has(r.access.scope));
    const keys = new Set(routes.map(keyOf));
    const missing = routes
      .filter((r) => r.url.includes(':'))
      .map(keyOf)
      .filter((k) => !covered.has(k) && !(k in EXCLUDED));
    expect.soft(missing, 'scoped routes with a record parameter and no fixture').toEqual([]);
    // no stale entries: every covered or excluded route exists and is scoped
    expect([...covered, ...Object.keys(EXCLUDED)].filter((k) => !keys.has(k))).toEqual([]);
    expect(Object.keys(EXCLUDED).filter((k) => covered.has(k))).toEqual([]);
  });

  it('refuses another subject, department or region with 404, leaking nothing else', async () => {
    const leaks = new Map<RouteKey, string>();
    const broken: string[] = [];
    for (const check of checks) {
      const [method] = check.route.split(' ') as [string];
      const body = check.kind === 'record' ? check.body : undefined;
      const reply = await call(method, check.path, check.other, body);
      const seen = `${check.route} as ${check.other}: ${reply.status}`;
      if (check.kind === 'list') {
        if (reply.status !== 200) broken.push(`${seen} ${JSON.stringify(reply.body)}`);
        else if (JSON.stringify(reply.body).includes(check.id)) leaks.set(check.route, seen);
      } else if (reply.status === 422 || reply.status === 400) {
        // the schema refused the body before the handler could check whose record it is
        broken.push(`${seen} before the ownership check: ${JSON.stringify(reply.body.error)}`);
      } else if (reply.status !== 404 || !/not_found$/.test(reply.body.error.code)) {
        leaks.set(check.route, `${seen} ${JSON.stringify(reply.body).slice(0, 200)}`);
      }
    }
    if (leaks.size) console.warn(`ownership leaks:\n${[...leaks.values()].join('\n')}`);
    expect(broken).toEqual([]);
    expect([...leaks.keys()].sort()).toEqual([...KNOWN_LEAKS].sort());
  }, 240_000);

  it('admits the owner and lists the owner’s record to the owner', async () => {
    const failures: string[] = [];
    // reads first, then writes with an empty body: a write may change the record's state
    const ordered = [...checks].sort(
      (a, b) =>
        Number(WRITES.has(a.route.split(' ')[0]!)) - Number(WRITES.has(b.route.split(' ')[0]!)),
    );
    for (const check of ordered) {
      const [method] = check.route.split(' ') as [string];
      // an upload is sent whole: a multipart route refuses any other body with 415
      const body =
        check.kind === 'record' && check.body instanceof MultipartBody
          ? check.body
          : WRITES.has(method) && method !== 'DELETE'
            ? {}
            : undefined;
      const reply = await call(method, check.path, check.owner, body);
      const refused = [401, 403, 404].includes(reply.status) || reply.status >= 500;
      const readFailed = !WRITES.has(method) && reply.status >= 300;
      if (refused || readFailed) {
        failures.push(
          `${check.route} as ${check.owner}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`,
        );
      } else if (check.kind === 'list' && !JSON.stringify(reply.body).includes(check.id)) {
        failures.push(`${check.route} as ${check.owner}: own record ${check.id} not listed`);
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
