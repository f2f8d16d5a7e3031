import { SESSION_COOKIE } from '../../src/platform/http/app';
import type { ApiReply, ApiRequest } from './server';

// How the test servers (server.ts in process, child-server.ts as a process) and the balancer in
// front of them (balancer.ts) call the platform's API over real HTTP and sign in.

/**
 * Sends `request` to `base + path` and reads the reply: JSON parsed, any other text kept as it is.
 * A string body is sent as it is, anything else as JSON. With `timeoutMs` the call rejects when no
 * answer has come by then.
 */
export async function callApi<T>(
  base: string,
  path: string,
  request: ApiRequest = {},
  options: { timeoutMs?: number } = {},
): Promise<ApiReply<T>> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-type'] ??= 'application/json';
  if (request.cookie) headers.cookie = request.cookie;
  if (request.lang) headers['accept-language'] = request.lang;
  const response = await fetch(base + path, {
    method: request.method ?? 'GET',
    headers,
    body:
      request.body === undefined
        ? undefined
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body),
    signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
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

/** The cookie pair (name=value) a reply sets for the session. */
export function sessionCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

/** Signs `username` in through `api` (POST /api/session) and returns the session cookie to send. */
export async function signInWith(
  api: (path: string, request: ApiRequest) => Promise<ApiReply>,
  username: string,
  password: string,
): Promise<string> {
  const reply = await api('/api/session', { method: 'POST', body: { username, password } });
  if (reply.status !== 200) throw new Error(`sign-in of ${username} failed: ${reply.status}`);
  return sessionCookieOf(reply.headers);
}
