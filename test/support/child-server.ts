import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SESSION_COOKIE } from '../../src/platform/http/app';
import { DEMO_PASSWORD, type ApiReply, type ApiRequest } from './server';

// The real platform as a separate process (`onething start`, as an operator runs it), so that a
// test can kill it outright (SIGKILL: no shutdown hook, no flush) and start it again on the same
// database.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STARTUP_MS = 90_000;

/** A platform process and how to reach it. */
export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Calls the API over real HTTP; rejects when the connection fails (no reply). */
  api<T = any>(path: string, request?: ApiRequest): Promise<ApiReply<T>>;
  /** Signs a user in and returns the session cookie to send. */
  signIn(username: string, password?: string): Promise<string>;
  /** Kills the process with SIGKILL and waits until it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts `onething start` with `env` on top of this process's environment (give it DATABASE_URL,
 * ONETHING_DB_SCHEMA …; PORT=0 picks a free port) and resolves once it listens.
 */
export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['bin/onething.mjs', 'start'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${STARTUP_MS} ms:\n${output}`));
    }, STARTUP_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /is running at (http:\/\/[^/\s]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });

  async function api<T>(path: string, request: ApiRequest = {}): Promise<ApiReply<T>> {
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-type'] ??= 'application/json';
    if (request.cookie) headers.cookie = request.cookie;
    const response = await fetch(url + path, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }

  async function signIn(username: string, password = DEMO_PASSWORD): Promise<string> {
    const reply = await api('/api/session', { method: 'POST', body: { username, password } });
    if (reply.status !== 200) throw new Error(`sign-in of ${username} failed: ${reply.status}`);
    const cookie = reply.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new Error('no session cookie');
    return cookie.split(';')[0]!;
  }

  return {
    url,
    process: child,
    api,
    signIn,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
