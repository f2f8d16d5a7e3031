import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { parseForm } from './open311';
import { DEMO_OPEN311_KEY } from './seed';

// Open311 GeoReport v2 conformance: every JSON response validates against the schemas in
// ../shared/conformance/open311/schemas (with ajv, as that folder's README says), XML parses and
// uses the element names of the spec's examples, errors have the standard shape and statuses.

const CONFORMANCE = path.resolve('../shared/conformance/open311');
const SCHEMAS = [
  'service.json',
  'services.json',
  'service-definition.json',
  'request.json',
  'requests.json',
];

function conformanceAjv(): Ajv {
  // The upstream files are draft-04 style with relative $refs; strictTypes would throw on them.
  const ajv = new Ajv({ strictTypes: false, strict: false, allErrors: true });
  ajvFormats.default(ajv);
  for (const format of ['uid', 'uint', 'double']) ajv.addFormat(format, true);
  for (const file of [...SCHEMAS, 'swagger.json']) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(CONFORMANCE, 'schemas', file), 'utf8')), file);
  }
  return ajv;
}

/** The fenced blocks of EXAMPLES.md, in order, with their language tags. */
function exampleBlocks(): { lang: string; text: string }[] {
  const source = readFileSync(path.join(CONFORMANCE, 'EXAMPLES.md'), 'utf8');
  return [...source.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1]!,
    text: m[2]!,
  }));
}

const xml = new XMLParser({ ignoreDeclaration: false, parseTagValue: false, isArray: () => false });

/** The element names directly under the first `element` in an XML text. */
function childNames(text: string, wrapper: string, element: string | null): string[] {
  const doc = xml.parse(text) as Record<string, any>;
  let node = doc[wrapper];
  if (element) node = Array.isArray(node[element]) ? node[element][0] : node[element];
  return Object.keys(node).sort();
}

describe('Open311 GeoReport v2 at /open311/v2/', () => {
  let server: TestServer;
  let ajv: Ajv;
  let admin: string;
  const validators = new Map<string, ValidateFunction>();
  const examples = exampleBlocks();

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all' });
    admin = await server.signIn('admin');
    ajv = conformanceAjv();
  }, 120_000);
  afterAll(() => server?.close());

  function validator(ref: string): ValidateFunction {
    let validate = validators.get(ref);
    if (!validate) {
      validate = ref.startsWith('swagger.json#')
        ? ajv.compile({ type: 'array', items: { $ref: ref } })
        : ajv.getSchema(ref)!;
      validators.set(ref, validate);
    }
    return validate;
  }

  function expectValid(ref: string, body: unknown) {
    const validate = validator(ref);
    const ok = validate(body);
    expect(ok, `${ref}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }

  const open311 = (file: string, init: RequestInit = {}) =>
    fetch(`${server.url}/open311/v2/${file}`, init);

  async function json(file: string, init: RequestInit = {}) {
    const response = await open311(file, init);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    return { status: response.status, body: (await response.json()) as any };
  }

  async function text(file: string, init: RequestInit = {}) {
    const response = await open311(file, init);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.text(),
    };
  }

  function form(fields: Record<string, string>): RequestInit {
    return {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(fields).toString(),
    };
  }

  function expectError(body: any, code: number) {
    expect(Array.isArray(body)).toBe(true);
    expect(body[0]).toEqual({ code, description: expect.any(String) });
    expect(body[0].description.length).toBeGreaterThan(3);
  }

  describe('the test harness itself', () => {
    it('accepts the spec’s corrected examples and refuses their defects', () => {
      const json = examples.filter((b) => b.lang === 'json').map((b) => b.text);
      // Section 5 (GET requests): leading-zero codes are invalid JSON until quoted; numeric ids fail.
      const quoted = json[5]!.replace(/"service_code":0*(\d+)/g, '"service_code":"00$1"');
      const requests = JSON.parse(quoted) as any[];
      expect(validator('requests.json')(requests)).toBe(false);
      const fixed = requests.map((r) => ({
        ...r,
        service_request_id: String(r.service_request_id),
        address_id: String(r.address_id),
        zipcode: String(r.zipcode),
        media_url: r.media_url.trim(),
      }));
      expectValid('requests.json', fixed);
      const services = JSON.parse(json[0]!.replace(/"service_code":(\d+)/g, '"service_code":"$1"'));
      expectValid('services.json', services);
      const token = JSON.parse(json[3]!).map((t: any) => ({
        service_request_id: String(t.service_request_id),
        token: String(t.token),
      }));
      expectValid('swagger.json#/definitions/TokenResponse', token);
    });

    it('parses the form-encoded POST example, attributes and multivaluelists included', () => {
      const body = examples
        .find((b) => b.lang === 'http' && b.text.startsWith('POST'))!
        .text.trim()
        .split('\n')
        .at(-1)!;
      const parsed = parseForm(body);
      expect(parsed).toMatchObject({
        api_key: 'xyz',
        service_code: '001',
        lat: '37.76524078',
        address_string: '1234 5th street',
        email: 'smit333@sfgov.edu',
        attribute: { WHISPAWN: '123456', WHISDORN: 'COISL001' },
      });
      expect(
        parseForm('attribute[code1][]=v1&attribute[code1][]=v2&attribute[code1][]=v3').attribute,
      ).toEqual({
        code1: ['v1', 'v2', 'v3'],
      });
    });
  });

  describe('discovery and services', () => {
    it('describes the endpoint in the discovery file', async () => {
      const reply = await json('discovery.json');
      expect(reply.status).toBe(200);
      expect(reply.body.endpoints[0]).toMatchObject({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: expect.stringMatching(/\/open311\/v2\/$/),
        formats: ['text/xml', 'application/json'],
      });
      const asXml = await text('discovery.xml');
      expect(asXml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>/);
      expect(xml.parse(asXml.body).discovery.endpoints.endpoint.specification).toBe(
        'http://wiki.open311.org/GeoReport_v2',
      );
    });

    it('lists services that validate, in Chinese or English, and as XML like the spec', async () => {
      const reply = await json('services.json');
      expect(reply.status).toBe(200);
      expectValid('services.json', reply.body);
      expect(reply.body.length).toBeGreaterThan(25);
      expect(reply.body.find((s: any) => s.service_code === '102')).toMatchObject({
        service_name: '市政道路设施',
        metadata: true,
        type: 'realtime',
        group: 'urban',
      });
      const english = await json('services.json', { headers: { 'accept-language': 'en' } });
      expectValid('services.json', english.body);
      expect(english.body.find((s: any) => s.service_code === '102').service_name).toBe(
        'Roads and street furniture',
      );
      const asXml = await text('services.xml');
      expect(asXml.type).toBe('text/xml; charset=utf-8');
      expect(asXml.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
      const example = examples.filter((b) => b.lang === 'xml')[0]!.text;
      expect(childNames(asXml.body, 'services', 'service')).toEqual(
        childNames(example, 'services', 'service'),
      );
    });

    it('gives service definitions that validate, and 404 for an unknown code', async () => {
      const reply = await json('services/102.json');
      expect(reply.status).toBe(200);
      expectValid('service-definition.json', reply.body);
      expect(reply.body.attributes[0]).toMatchObject({
        code: 'FACILITY',
        datatype: 'singlevaluelist',
        required: true,
        order: 1,
        values: expect.arrayContaining([{ key: 'manhole', name: '井盖' }]),
      });
      const plain = await json('services/101.json');
      expectValid('service-definition.json', plain.body);
      expect(plain.body.attributes).toEqual([]);
      const asXml = await text('services/102.xml');
      const example = examples.filter((b) => b.lang === 'xml')[1]!.text;
      expect(childNames(asXml.body, 'service_definition', null)).toEqual(
        childNames(example, 'service_definition', null),
      );
      expect(childNames(asXml.body, 'service_definition', 'attributes')).toEqual(['attribute']);
      const missing = await json('services/999.json');
      expect(missing.status).toBe(404);
      expectError(missing.body, 404);
      const missingXml = await text('services/999.xml');
      expect(missingXml.status).toBe(404);
      expect(xml.parse(missingXml.body).errors.error.code).toBe('404');
    });
  });

  describe('posting and reading requests', () => {
    const post = {
      service_code: '102',
      lat: '37.5131',
      long: '122.1201',
      address_string: '环翠区海滨北路与世昌大道路口',
      description: '路口人行道井盖缺失，夜间非常危险。',
      first_name: '明',
      last_name: '高',
      phone: '13906318881',
      email: 'someone@example.com',
      device_id: 'tt222111',
      'attribute[FACILITY]': 'manhole',
    };

    it('refuses a POST without an API key, with a wrong one, or with a revoked one (403)', async () => {
      const none = await json('requests.json', form(post));
      expect(none.status).toBe(403);
      expectError(none.body, 403);
      const wrong = await json('requests.json', form({ ...post, api_key: 'nope' }));
      expect(wrong.status).toBe(403);
      const issued = await server.api('/api/hotline/api-keys', {
        method: 'POST',
        body: { name: '临时客户端' },
        cookie: admin,
      });
      const accepted = await json('requests.json', form({ ...post, api_key: issued.body.key }));
      expect(accepted.status).toBe(200);
      await server.api(`/api/hotline/api-keys/${issued.body.id}`, {
        method: 'DELETE',
        cookie: admin,
      });
      const revoked = await json('requests.json', form({ ...post, api_key: issued.body.key }));
      expect(revoked.status).toBe(403);
      expectError(revoked.body, 403);
      const xmlRefused = await text('requests.xml', form(post));
      expect(xmlRefused.status).toBe(403);
      const parsed = xml.parse(xmlRefused.body);
      expect(parsed.errors.error.code).toBe('403');
    });

    it('answers 400 for a missing service code, location, required attribute or bad input; 404 for an unknown code', async () => {
      const key = { api_key: DEMO_OPEN311_KEY };
      const cases: [Record<string, string>, number][] = [
        [{ ...post, ...key, service_code: '' }, 400],
        [{ ...post, ...key, service_code: '999' }, 404],
        [
          {
            ...key,
            service_code: '102',
            description: '没有位置',
            'attribute[FACILITY]': 'manhole',
          },
          400,
        ],
        [{ ...post, ...key, 'attribute[FACILITY]': '' }, 400],
        [{ ...post, ...key, 'attribute[FACILITY]': 'bridge' }, 400],
        [{ ...post, ...key, lat: 'north' }, 400],
        [{ ...post, ...key, phone: '12345' }, 400],
        [{ ...post, ...key, media_url: 'javascript:alert(1)' }, 400],
        [{ ...post, ...key, jurisdiction_id: 'elsewhere.gov' }, 404],
      ];
      for (const [fields, status] of cases) {
        const reply = await json('requests.json', form(fields));
        expect(reply.status, JSON.stringify(fields)).toBe(status);
        expectError(reply.body, status);
      }
    });

    it('takes a request, answers its id and notice, and reads it back in JSON and XML', async () => {
      const created = await json(
        'requests.json',
        form({ ...post, api_key: DEMO_OPEN311_KEY, jurisdiction_id: 'weihai.gov.cn' }),
      );
      expect(created.status).toBe(200);
      expectValid('swagger.json#/definitions/RequestResponse', created.body);
      const id = created.body[0].service_request_id;
      expect(id).toMatch(/^GD\d{14}$/);
      expect(created.body[0].service_notice).toMatch(/查询码 [2-9A-Z]{8}/);
      expect(created.body[0]).not.toHaveProperty('token');

      const read = await json(`requests/${id}.json`);
      expect(read.status).toBe(200);
      expectValid('requests.json', read.body);
      expect(read.body).toHaveLength(1);
      expect(read.body[0]).toMatchObject({
        service_request_id: id,
        status: 'open',
        service_code: '102',
        service_name: '市政道路设施',
        description: '路口人行道井盖缺失，夜间非常危险。',
        lat: 37.5131,
        long: 122.1201,
        address: '环翠区海滨北路与世昌大道路口',
      });
      // The requester is never part of a request; the region was read from the address.
      expect(JSON.stringify(read.body)).not.toContain('13906318881');
      expect(JSON.stringify(read.body)).not.toContain('高明');

      const asXml = await text(`requests/${id}.xml`);
      expect(asXml.type).toBe('text/xml; charset=utf-8');
      const example = examples.filter((b) => b.lang === 'xml')[5]!.text;
      expect(childNames(asXml.body, 'service_requests', 'request')).toEqual(
        childNames(example, 'service_requests', 'request'),
      );

      const posted = await text('requests.xml', form({ ...post, api_key: DEMO_OPEN311_KEY }));
      expect(posted.status).toBe(200);
      expect(xml.parse(posted.body).service_requests.request.service_request_id).toMatch(/^GD/);

      // Staff see it as an Open311 ticket of 环翠区 waiting for dispatch.
      const operator = await server.signIn('operator');
      const list = await server.api(`/api/hotline/tickets?q=${id}`, { cookie: operator });
      expect(list.body.items[0]).toMatchObject({
        channel: 'open311',
        status: 'registered',
        region: { code: '371002' },
      });
    });

    it('resolves a token (the tracking code) to its request id', async () => {
      const created = await json('requests.json', form({ ...post, api_key: DEMO_OPEN311_KEY }));
      const code = /查询码 ([2-9A-Z]{8})/.exec(created.body[0].service_notice)![1]!;
      const reply = await json(`tokens/${code}.json`);
      expect(reply.status).toBe(200);
      expectValid('swagger.json#/definitions/TokenResponse', reply.body);
      expect(reply.body).toEqual([
        { service_request_id: created.body[0].service_request_id, token: code },
      ]);
      const asXml = await text(`tokens/${code}.xml`);
      expect(childNames(asXml.body, 'service_requests', 'request')).toEqual([
        'service_request_id',
        'token',
      ]);
      const missing = await json('tokens/ZZZZZZZZ.json');
      expect(missing.status).toBe(404);
      expectError(missing.body, 404);
    });

    it('lists requests with the standard filters, each validating, and no reports or hidden text', async () => {
      const all = await json('requests.json');
      expect(all.status).toBe(200);
      expectValid('requests.json', all.body);
      expect(all.body.length).toBeGreaterThan(5);
      // Demo tickets taken on the phone are not disclosed: no text, no coordinates, the district only.
      const phone = all.body.find((r: any) => r.description === null);
      expect(phone).toMatchObject({ lat: null, long: null });
      expect(phone.address).toMatch(/区|市/);

      const open = await json('requests.json?status=open');
      expectValid('requests.json', open.body);
      expect(open.body.every((r: any) => r.status === 'open')).toBe(true);
      const closed = await json('requests.json?status=closed');
      expect(closed.body.length).toBeGreaterThan(0);
      expect(closed.body.every((r: any) => r.status === 'closed')).toBe(true);
      const roads = await json('requests.json?service_code=102,101');
      expectValid('requests.json', roads.body);
      expect(roads.body.every((r: any) => ['101', '102'].includes(r.service_code))).toBe(true);
      const none = await json('requests.json?service_code=999');
      expect(none.body).toEqual([]);
      const now = new Date();
      const start = new Date(now.getTime() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const recent = await json(`requests.json?start_date=${start}`);
      expectValid('requests.json', recent.body);
      expect(recent.body.every((r: any) => new Date(r.requested_datetime) >= new Date(start))).toBe(
        true,
      );
      const ids = all.body.slice(0, 2).map((r: any) => r.service_request_id);
      const byId = await json(
        `requests.json?service_request_id=${ids.join(',')}&status=closed&service_code=999`,
      );
      expect(byId.body.map((r: any) => r.service_request_id).sort()).toEqual([...ids].sort());

      const tooLong = await json(
        'requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z',
      );
      expect(tooLong.status).toBe(400);
      expectError(tooLong.body, 400);
      expect((await json('requests.json?start_date=yesterday')).status).toBe(400);
      expect((await json('requests.json?start_date=2025-01-01T00:00:00')).status).toBe(400);
      expect((await json('requests.json?status=pending')).status).toBe(400);
      expect((await json('requests.json?jurisdiction_id=elsewhere.gov')).status).toBe(404);
      expect((await json('requests.json?jurisdiction_id=weihai.gov.cn')).status).toBe(200);
      expect((await json('requests/GD00000000000000.json')).status).toBe(404);

      const asXml = await text('requests.xml');
      const parsed = new XMLParser({ isArray: (name) => name === 'request' }).parse(asXml.body);
      expect(parsed.service_requests.request.length).toBe(all.body.length);
    });

    it('never lists a report of wrongdoing', async () => {
      const operator = await server.signIn('operator');
      const report = await server.api('/api/hotline/tickets', {
        method: 'POST',
        cookie: operator,
        body: {
          channel: 'phone',
          type: 'report',
          categoryCode: 'SC-01',
          regionCode: '371002',
          content: '某餐馆使用过期食材，请调查。',
          requesterMobile: '13906318899',
          disclose: true,
        },
      });
      expect(report.status).toBe(201);
      expect((await json(`requests/${report.body.number}.json`)).status).toBe(404);
      const all = await json('requests.json');
      expect(all.body.map((r: any) => r.service_request_id)).not.toContain(report.body.number);
    });
  });

  describe('the servicerequestupdates extension', () => {
    it('lists public updates of requests and takes a requester’s update with a key', async () => {
      const reply = await json('servicerequestupdates.json');
      expect(reply.status).toBe(200);
      expect(reply.body.length).toBeGreaterThan(0);
      for (const update of reply.body) {
        expect(update).toEqual({
          update_id: expect.any(String),
          service_request_id: expect.stringMatching(/^GD/),
          status: expect.stringMatching(
            /^(OPEN|IN_PROGRESS|ACTION_SCHEDULED|FIXED|CLOSED|DUPLICATE)$/,
          ),
          updated_datetime: expect.any(String),
          description: expect.any(String),
          media_url: null,
        });
      }
      const asXml = await text('servicerequestupdates.xml');
      const parsed = new XMLParser({ isArray: (name) => name === 'request_update' }).parse(
        asXml.body,
      );
      expect(parsed.service_request_updates.request_update.length).toBe(reply.body.length);

      const target = reply.body[0].service_request_id;
      const refused = await json(
        'servicerequestupdates.json',
        form({ service_request_id: target, description: '补充：现场有积水。' }),
      );
      expect(refused.status).toBe(403);
      const added = await json(
        'servicerequestupdates.json',
        form({
          api_key: DEMO_OPEN311_KEY,
          service_request_id: target,
          description: '补充：现场有积水。',
        }),
      );
      expect(added.status).toBe(200);
      expect(added.body).toEqual([{ update_id: expect.stringMatching(/^\d+$/) }]);
      const unknown = await json(
        'servicerequestupdates.json',
        form({
          api_key: DEMO_OPEN311_KEY,
          service_request_id: 'GD00000000000000',
          description: '补充信息',
        }),
      );
      expect(unknown.status).toBe(404);
      expect(
        (
          await json(
            'servicerequestupdates.json?start_date=2020-01-01T00:00:00Z&end_date=2025-01-01T00:00:00Z',
          )
        ).status,
      ).toBe(400);
    });
  });

  describe('errors', () => {
    it('answers unknown resources 404 and unknown formats 400 in the standard format', async () => {
      const unknown = await json('potholes.json');
      expect(unknown.status).toBe(404);
      expectError(unknown.body, 404);
      const csv = await text('services.csv');
      expect(csv.status).toBe(400);
      expect(xml.parse(csv.body).errors.error.code).toBe('400');
      const deep = await json('a/b/c.json');
      expect(deep.status).toBe(404);
      expectError(deep.body, 404);
    });
  });
});
