import { describe, expect, it } from 'vitest';
import { eicarBytes, exeBytes, jpegBytes, pdfBytes, pngBytes, zipBytes } from './fixtures';
import { loadConfig } from '../platform/config';
import {
  commandScanner,
  defaultScanner,
  eicarScanner,
  inspectUpload,
  sha256Hex,
  signatureFrom,
  sniffMaterialType,
} from './uploads';

async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error: any) {
    return { status: error.status, rule: error.details?.[0]?.rule, code: error.code };
  }
  throw new Error('expected a refusal');
}

describe('sniffing the type of a material from its bytes', () => {
  it('takes PDF, JPEG and PNG whatever the name says', async () => {
    expect(await sniffMaterialType(pdfBytes(), 'x.pdf')).toBe('application/pdf');
    expect(await sniffMaterialType(jpegBytes(), 'x.jpeg')).toBe('image/jpeg');
    expect(await sniffMaterialType(pngBytes(), 'looks-like.pdf')).toBe('image/png');
  });

  it('takes a zip only as OFD, under an .ofd name', async () => {
    expect(await sniffMaterialType(zipBytes(), '证照.OFD')).toBe('application/ofd');
    expect(await refusal(sniffMaterialType(zipBytes(), 'a.zip'))).toMatchObject({ rule: 'type' });
  });

  it('refuses executables renamed, text, and empty files, naming the rule', async () => {
    expect(await refusal(sniffMaterialType(exeBytes(), 'a.pdf'))).toMatchObject({
      status: 422,
      rule: 'type',
      code: 'cases.file_refused',
    });
    expect(await refusal(sniffMaterialType(Buffer.from('hello'), 'a.pdf'))).toMatchObject({
      rule: 'type',
    });
    expect(await refusal(sniffMaterialType(Buffer.alloc(0), 'a.pdf'))).toMatchObject({
      rule: 'empty',
    });
  });
});

describe('the virus-scan hook', () => {
  it('finds the EICAR test signature with the built-in scanner, anywhere in the file', async () => {
    expect(await eicarScanner.scan(pdfBytes(), 'a.pdf')).toEqual({ clean: true });
    const inside = Buffer.concat([pdfBytes(), eicarBytes(), Buffer.from('\n%%EOF')]);
    expect(await eicarScanner.scan(inside, 'a.pdf')).toMatchObject({ clean: false });
    expect(await refusal(inspectUpload(eicarScanner, inside, 'a.pdf'))).toMatchObject({
      rule: 'virus',
    });
  });

  it('runs a configured command with the file on stdin: 0 clean, 1 infected, else unavailable', async () => {
    const scanner = commandScanner(
      "if grep -q BAD; then echo 'stream: Test.Bad-Thing FOUND'; exit 1; fi; exit 0",
    );
    expect(await scanner.scan(Buffer.from('good'), 'a.pdf')).toEqual({ clean: true });
    expect(await scanner.scan(Buffer.from('so BAD'), 'a.pdf')).toEqual({
      clean: false,
      signature: 'Test.Bad-Thing',
    });
    expect(await refusal(commandScanner('exit 2').scan(Buffer.from('x'), 'a.pdf'))).toMatchObject({
      status: 503,
      code: 'cases.scan_unavailable',
    });
    expect(
      await refusal(commandScanner('sleep 5', 100).scan(Buffer.from('x'), 'a.pdf')),
    ).toMatchObject({ status: 503 });
  });

  it('reads the scanner and the size limit from the configuration', () => {
    expect(loadConfig({})).toMatchObject({ uploadMaxBytes: 10 * 1024 * 1024, scanCommand: null });
    expect(
      loadConfig({ ONETHING_UPLOAD_MAX_BYTES: '2048', ONETHING_SCAN_COMMAND: 'clamdscan -' }),
    ).toMatchObject({ uploadMaxBytes: 2048, scanCommand: 'clamdscan -' });
    expect(() => loadConfig({ ONETHING_UPLOAD_MAX_BYTES: '0' })).toThrow(
      /ONETHING_UPLOAD_MAX_BYTES/,
    );
    expect(defaultScanner({ scanCommand: null })).toBe(eicarScanner);
    expect(signatureFrom('stream: Eicar-Signature FOUND\n')).toBe('Eicar-Signature');
  });

  it('scans first, then checks the type, and hashes what it keeps', async () => {
    const result = await inspectUpload(eicarScanner, pngBytes(), 'a.pdf');
    expect(result).toEqual({ contentType: 'image/png', sha256: sha256Hex(pngBytes()) });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
