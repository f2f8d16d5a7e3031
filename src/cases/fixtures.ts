import { startTestServer, type TestServer } from '../../test/support/server';

// Test fixtures of the cases tests: a running platform with the seed bundles plus a window-intake
// variant of enterprise-opening, small files of each type, and multipart uploads over real HTTP.

/** The window-intake copy of enterprise-opening that the intake tests publish. */
export const WINDOW_BUNDLE = 'window-opening';

/** Starts the platform with every seed and publishes the window-intake variant of enterprise-opening. */
export async function startIntakeServer(): Promise<TestServer> {
  const server = await startTestServer({ seed: 'all' });
  const admin = await server.signIn('admin');
  const base = await server.api('/api/bundles/enterprise-opening', { cookie: admin });
  if (base.status !== 200) throw new Error(`enterprise-opening is not published: ${base.status}`);
  const content = {
    ...base.body.content,
    code: WINDOW_BUNDLE,
    intake: 'window',
    name: { zh: '企业开办（窗口受理）', en: 'Starting a business (window intake)' },
  };
  const created = await server.api('/api/bundles', {
    method: 'POST',
    cookie: admin,
    body: { content },
  });
  if (created.status !== 201) throw new Error(`creating ${WINDOW_BUNDLE}: ${created.status}`);
  const published = await server.api(`/api/bundles/${WINDOW_BUNDLE}/publish`, {
    method: 'POST',
    cookie: admin,
  });
  if (published.status !== 200) {
    throw new Error(`publishing ${WINDOW_BUNDLE}: ${JSON.stringify(published.body)}`);
  }
  return server;
}

/** A minimal PDF document. */
export function pdfBytes(text = 'OneThing'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** A 1×1 PNG image. */
export function pngBytes(): Buffer {
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
}

/** The start of a JPEG image (what type sniffing reads). */
export function jpegBytes(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.alloc(64, 1),
  ]);
}

/** The start of a Windows executable (MZ header with a PE signature). */
export function exeBytes(): Buffer {
  const bytes = Buffer.alloc(256, 0);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
}

/** A zip archive with one stored entry, as an OFD document (OFD.xml inside) is. */
export function zipBytes(entry = 'OFD.xml', content = '<ofd:OFD/>'): Buffer {
  const name = Buffer.from(entry);
  const data = Buffer.from(content);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name, data]);
}

/** The EICAR antivirus test signature, assembled so that this file does not carry it whole. */
export function eicarBytes(): Buffer {
  return Buffer.from(
    ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join(''),
  );
}

/** Uploads a file as multipart/form-data; returns status and parsed body. */
export async function uploadFile(
  server: TestServer,
  cookie: string,
  applicationId: string,
  material: string | undefined,
  file: { name: string; bytes: Buffer; type?: string } | undefined,
) {
  const form = new FormData();
  if (material !== undefined) form.append('material', material);
  if (file) {
    form.append(
      'file',
      new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  }
  const response = await fetch(`${server.url}/api/applications/${applicationId}/materials`, {
    method: 'POST',
    headers: { cookie },
    body: form,
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies of several shapes
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}
