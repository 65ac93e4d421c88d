// The relay's few HTTP endpoints used before a socket exists: setup status, first-run
// enterprise creation, sign-in, redeeming an activation code. Small JSON bodies, so fetch is fine here.
import {
  ErrorBody,
  HttpPaths,
  QixinError,
  SessionGrant,
  SetupStatus,
  type ActivateBody,
  type CreateEnterpriseBody,
  type SignInBody,
} from '../../../shared/protocol';
import type { z } from 'zod';

const TIMEOUT_MS = 10_000;

/** ws://host:port/ws for an http(s)://host:port relay URL (a ws:// URL is taken as is). */
export function relaySocketUrl(relayUrl: string): string {
  const url = new URL(relayUrl);
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return url.toString();
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = '/ws';
  return url.toString();
}

export function httpBase(relayUrl: string): URL {
  const url = new URL(relayUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  url.pathname = '/';
  return url;
}

export class RelayHttp {
  constructor(private readonly relayUrl: string) {}

  setupStatus(): Promise<z.infer<typeof SetupStatus>> {
    return this.call('GET', HttpPaths.setupStatus, undefined, SetupStatus);
  }

  createEnterprise(body: CreateEnterpriseBody): Promise<SessionGrant> {
    return this.call('POST', HttpPaths.createEnterprise, body, SessionGrant);
  }

  signIn(body: SignInBody): Promise<SessionGrant> {
    return this.call('POST', HttpPaths.signIn, body, SessionGrant);
  }

  activate(body: ActivateBody): Promise<SessionGrant> {
    return this.call('POST', HttpPaths.activate, body, SessionGrant);
  }

  private async call<S extends z.ZodType>(method: string, path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    let res: Response;
    try {
      res = await fetch(new URL(path, httpBase(this.relayUrl)), {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new QixinError('unavailable', `the relay at ${this.relayUrl} is not reachable (${(err as Error).message})`);
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const error = ErrorBody.safeParse((json as { error?: unknown } | null)?.error);
      if (error.success) throw QixinError.from(error.data);
      throw new QixinError(res.status >= 500 ? 'unavailable' : 'internal', `relay answered HTTP ${res.status}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new QixinError('internal', `unexpected answer from ${path}`);
    return parsed.data;
  }
}
