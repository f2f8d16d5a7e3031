import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { callApi, signInWith } from './http';
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

  // a request that hangs fails the test instead of outlasting it
  const api = <T>(path: string, request: ApiRequest = {}) =>
    callApi<T>(url, path, request, { timeoutMs: 30_000 });
  const signIn = (username: string, password = DEMO_PASSWORD) =>
    signInWith(api, username, password);

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
