import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../platform/http/errors';
import type { Text } from '../platform/i18n';

// Uploaded materials: the type is read from the bytes (never from the name or the client's header),
// the size is limited, and every file passes a virus scanner before it is stored.

/** What the upload routes need to know; from the environment (docs/operations.md). */
export interface UploadSettings {
  /** Largest accepted file in bytes (ONETHING_UPLOAD_MAX_BYTES, default 10 MiB). */
  maxBytes: number;
  /** A scanner command given the file on stdin (ONETHING_SCAN_COMMAND); built-in check when null. */
  scanCommand: string | null;
}

/** The types a material may have, with the names people know them by. */
export const MATERIAL_TYPES = {
  'application/pdf': { ext: 'pdf', label: 'PDF' },
  'image/jpeg': { ext: 'jpg', label: 'JPEG' },
  'image/png': { ext: 'png', label: 'PNG' },
  // OFD (GB/T 33190, 版式文档) is a zip container; taken only under a .ofd name.
  'application/ofd': { ext: 'ofd', label: 'OFD' },
} as const;

/** One accepted material type. */
export type MaterialType = keyof typeof MATERIAL_TYPES;

const ALLOWED_TEXT: Text = {
  zh: '仅接受 PDF、JPEG、PNG 或 OFD 文件',
  en: 'only PDF, JPEG, PNG or OFD files are accepted',
};

/** 422 for the uploaded file, naming the field `body.file` and the rule it breaks. */
export function fileProblem(rule: string, message: Text, status: 413 | 422 = 422): AppError {
  return new AppError(
    status,
    status === 413 ? 'request.too_large' : 'cases.file_refused',
    { zh: `文件不能接受：${message.zh}`, en: `the file is refused: ${message.en}` },
    [{ path: 'body.file', rule, message }],
  );
}

/** 413 for a file over the limit. */
export function tooLarge(maxBytes: number): AppError {
  const mib = (maxBytes / 1024 / 1024).toFixed(maxBytes % (1024 * 1024) === 0 ? 0 : 1);
  return fileProblem(
    'maxBytes',
    { zh: `文件不得超过 ${mib} MiB`, en: `the file must be at most ${mib} MiB` },
    413,
  );
}

/**
 * The material type of a file, read from its bytes: PDF, JPEG, PNG, or OFD (a zip, accepted only
 * when the name ends in .ofd). A PDF name over PNG bytes is a PNG; anything else is refused.
 */
export async function sniffMaterialType(
  bytes: Uint8Array,
  filename: string,
): Promise<MaterialType> {
  if (bytes.length === 0) {
    throw fileProblem('empty', { zh: '文件为空', en: 'the file is empty' });
  }
  const found = await fileTypeFromBuffer(bytes);
  const mime = found?.mime;
  if (mime === 'application/pdf' || mime === 'image/jpeg' || mime === 'image/png') return mime;
  if (mime === 'application/zip' && /\.ofd$/i.test(filename)) return 'application/ofd';
  const seen = found ? `${found.mime} (.${found.ext})` : null;
  throw fileProblem('type', {
    zh: `${ALLOWED_TEXT.zh}；该文件的实际内容${seen ? `为 ${seen}` : '无法识别'}`,
    en: `${ALLOWED_TEXT.en}; this file's content is ${seen ?? 'not a recognised type'}`,
  });
}

/** The hex SHA-256 of the bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The verdict of a virus scan. */
export interface ScanResult {
  clean: boolean;
  /** The name of what was found, when not clean. */
  signature?: string;
}

/** Scans an uploaded file before it is stored (病毒查杀). */
export interface MaterialScanner {
  scan(bytes: Uint8Array, filename: string): Promise<ScanResult>;
}

// Assembled from parts so that this source file itself does not carry the test signature.
const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join(
  '',
);

/**
 * The built-in scanner for machines without an antivirus engine: it only finds the EICAR test
 * signature, so that the refusal path can be exercised end to end. Set ONETHING_SCAN_COMMAND in
 * production.
 */
export const eicarScanner: MaterialScanner = {
  async scan(bytes) {
    const found = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(EICAR);
    return found ? { clean: false, signature: 'EICAR-Test-File' } : { clean: true };
  },
};

/** 503 when the scanner cannot give a verdict: a file is never stored unscanned. */
function scanUnavailable(why: string): AppError {
  return new AppError(503, 'cases.scan_unavailable', {
    zh: `病毒扫描暂不可用，请稍后重试（${why}）`,
    en: `the virus scanner is unavailable; please retry later (${why})`,
  });
}

/**
 * A scanner that runs a command (through `sh -c`) with the file on stdin, e.g.
 * `clamdscan --no-summary -`: exit 0 clean, 1 infected (the signature is read from its output),
 * anything else — or no answer within the timeout — is a failure to scan.
 */
export function commandScanner(command: string, timeoutMs = 60_000): MaterialScanner {
  return {
    scan(bytes) {
      return new Promise<ScanResult>((resolve, reject) => {
        const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
        let output = '';
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(scanUnavailable('timeout'));
        }, timeoutMs);
        child.stdout.on('data', (chunk: Buffer) => {
          if (output.length < 4096) output += chunk.toString('utf8');
        });
        child.stderr.resume();
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(scanUnavailable(error.message));
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve({ clean: true });
          else if (code === 1) resolve({ clean: false, signature: signatureFrom(output) });
          else reject(scanUnavailable(`exit ${code}`));
        });
        // The scanner may stop reading early (it found something); that is not our error.
        child.stdin.on('error', () => undefined);
        child.stdin.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      });
    },
  };
}

/** The signature named in a scanner's output (`stream: Eicar-Signature FOUND`), or a fallback. */
export function signatureFrom(output: string): string {
  const found = /:\s*(\S[^\n]*?)\s+FOUND/.exec(output);
  return (found?.[1] ?? output.trim().split('\n')[0] ?? '').slice(0, 200) || 'unknown';
}

/** The configured scanner: the command when one is set, else the built-in EICAR check. */
export function defaultScanner(settings: Pick<UploadSettings, 'scanCommand'>): MaterialScanner {
  return settings.scanCommand ? commandScanner(settings.scanCommand) : eicarScanner;
}

/** Scans, then sniffs: a file that is infected is refused as such whatever its type. */
export async function inspectUpload(
  scanner: MaterialScanner,
  bytes: Uint8Array,
  filename: string,
): Promise<{ contentType: MaterialType; sha256: string }> {
  if (bytes.length === 0) throw fileProblem('empty', { zh: '文件为空', en: 'the file is empty' });
  const verdict = await scanner.scan(bytes, filename);
  if (!verdict.clean) {
    throw fileProblem('virus', {
      zh: `文件含有病毒或恶意代码（${verdict.signature ?? '未知'}）`,
      en: `the file contains a virus or malware (${verdict.signature ?? 'unknown'})`,
    });
  }
  const contentType = await sniffMaterialType(bytes, filename);
  return { contentType, sha256: sha256Hex(bytes) };
}
