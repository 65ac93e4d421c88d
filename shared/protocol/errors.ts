import { z } from 'zod';

/** Error codes shared by the wire protocol and the renderer contract. */
export const ErrorCode = z.enum([
  'bad_frame', // not JSON, or not {id?, type, payload}
  'unknown_type',
  'invalid', // payload failed its schema or a domain rule
  'too_large',
  'unauthenticated',
  'protocol_version',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable', // relay unreachable (client side)
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({ code: ErrorCode, message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export function envelope<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ErrorBody }),
  ]);
}

/** An error that carries a code across process and network boundaries. */
export class QixinError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QixinError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}
