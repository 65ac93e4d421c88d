import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  ActivateBody,
  CreateEnterpriseBody,
  HttpPaths,
  MAX_HTTP_BODY_BYTES,
  QixinError,
  SignInBody,
  type ErrorCode,
} from '../../shared/protocol';
import type { Domain } from '../domain';
import { createLogger } from '../log';
import { replyJson, statusOf } from './reply';
import { LoginThrottle } from './login-throttle';

const log = createLogger('relay.http');

type Route = (req: IncomingMessage) => Promise<[number, unknown]>;

/** The relay's HTTP endpoints used before a socket exists: setup, sign-in, health. */
export class HttpApi {
  private readonly throttle: LoginThrottle;
  private readonly routes: Record<string, Route>;

  constructor(
    private readonly domain: Domain,
    options: { signInPerMinute?: number } = {},
  ) {
    this.throttle = new LoginThrottle(options.signInPerMinute ?? 10);
    this.routes = {
      [`GET ${HttpPaths.health}`]: async () => [200, { ok: true }],
      [`GET ${HttpPaths.setupStatus}`]: async () => {
        const enterprise = await this.domain.accounts.enterprise();
        return [200, { initialized: enterprise !== null, enterprise }];
      },
      [`POST ${HttpPaths.createEnterprise}`]: async (req) => {
        const body = validate(CreateEnterpriseBody, await readJson(req));
        return [201, await this.domain.accounts.setup(body)];
      },
      [`POST ${HttpPaths.signIn}`]: async (req) => {
        const body = validate(SignInBody, await readJson(req));
        if (!this.throttle.allow(body.login)) {
          throw new QixinError('rate_limited', 'too many sign-in attempts; wait a minute and try again');
        }
        return [200, await this.domain.accounts.signIn(body.login, body.password, body.deviceName)];
      },
      [`POST ${HttpPaths.activate}`]: async (req) => {
        const body = validate(ActivateBody, await readJson(req));
        // Per code, like sign-in per login; guessing other codes is hopeless (about 59 bits each).
        if (!this.throttle.allow(`activate:${body.code.toUpperCase().replace(/[^0-9A-Z]/g, '')}`)) {
          throw new QixinError('rate_limited', 'too many activation attempts; wait a minute and try again');
        }
        return [200, await this.domain.accounts.activate(body.code, body.password, body.deviceName)];
      },
    };
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const route = this.routes[`${req.method} ${path}`];
    const run = route
      ? route(req)
      : Promise.reject(
          Object.values(HttpPaths).includes(path as never)
            ? new HttpError(405, 'invalid', `${req.method} is not allowed on ${path}`)
            : new HttpError(404, 'not_found', `no such endpoint: ${path}`),
        );
    run
      .then(([status, body]) => replyJson(res, status, body))
      .catch((err: unknown) => {
        if (err instanceof HttpError)
          return replyJson(res, err.status, { error: { code: err.code, message: err.message } });
        if (err instanceof QixinError) {
          return replyJson(res, statusOf(err.code), { error: err.toBody() });
        }
        log.error({ err, path }, 'http request failed');
        replyJson(res, 500, { error: { code: 'internal', message: 'the relay could not process this request' } });
      });
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new QixinError('invalid', z.prettifyError(parsed.error));
  return parsed.data;
}

/** Reads at most MAX_HTTP_BODY_BYTES; a bigger body is refused without reading the rest. */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_HTTP_BODY_BYTES) {
      req.resume();
      reject(new HttpError(413, 'too_large', `request body is larger than ${MAX_HTTP_BODY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_HTTP_BODY_BYTES) {
        failed = true;
        reject(new HttpError(413, 'too_large', `request body is larger than ${MAX_HTTP_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (failed) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch {
        reject(new HttpError(400, 'invalid', 'request body is not valid JSON'));
      }
    });
  });
}
