import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callApi } from './http';
import type { ApiReply, ApiRequest } from './server';

// A round-robin HTTP load balancer in front of several app servers, as an operator would put nginx
// or a cloud balancer there: no sticky sessions, each request to the next upstream in turn. It
// records which upstream served each request, so a test can show that work crossed servers.

/** One request the balancer passed on, and which upstream (by index) answered it. */
export interface Routed {
  method: string;
  path: string;
  upstream: number;
  status: number;
}

/** A running balancer. */
export interface Balancer {
  url: string;
  /** Every request passed on so far, in the order they arrived. */
  readonly log: readonly Routed[];
  /** Calls the API through the balancer over real HTTP; `served` is the upstream index. */
  api<T = any>(path: string, request?: ApiRequest): Promise<ApiReply<T> & { served: number }>;
  close(): Promise<void>;
}

/** Starts a balancer on 127.0.0.1 (free port) over `upstreams` (base URLs like http://127.0.0.1:4000). */
export async function startBalancer(upstreams: readonly string[]): Promise<Balancer> {
  if (upstreams.length === 0) throw new Error('a balancer needs at least one upstream');
  const targets = upstreams.map((u) => new URL(u));
  const log: Routed[] = [];
  let next = 0;

  const server: Server = createServer((incoming, outgoing) => {
    const upstream = next;
    next = (next + 1) % targets.length;
    const target = targets[upstream]!;
    const entry: Routed = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      upstream,
      status: 0,
    };
    log.push(entry);
    const forwardedFor = [incoming.headers['x-forwarded-for'], incoming.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const proxied = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: {
          ...incoming.headers,
          'x-forwarded-for': forwardedFor,
          'x-forwarded-proto': 'http',
        },
      },
      (answer) => {
        entry.status = answer.statusCode ?? 0;
        // tells the test which upstream answered, as some balancers do (e.g. X-Served-By)
        outgoing.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          'x-served-by': String(upstream),
        });
        answer.pipe(outgoing);
      },
    );
    proxied.on('error', () => {
      entry.status = 502;
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'x-served-by': String(upstream) });
      outgoing.end();
    });
    incoming.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function api<T>(
    path: string,
    request: ApiRequest = {},
  ): Promise<ApiReply<T> & { served: number }> {
    const reply = await callApi<T>(url, path, request, { timeoutMs: 30_000 });
    return { ...reply, served: Number(reply.headers.get('x-served-by')) };
  }

  return {
    url,
    log,
    api,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
