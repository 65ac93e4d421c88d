// Frame shapes: {id?, type, payload}. Requests carry an id and are answered by a
// `result` frame echoing it; events carry none.
import { z } from 'zod';
import { ErrorBody, QixinError, schemaReason } from './errors';
import { events, requests, type EventType, type RequestType } from './messages';

export const RawFrame = z.object({
  id: z.string().min(1).max(64).optional(),
  type: z.string().min(1).max(64),
  payload: z.unknown().optional(),
});
export type RawFrame = z.infer<typeof RawFrame>;

export type ResultFrame =
  | { id: string; type: 'result'; payload: { ok: true; value: unknown } }
  | { id: string | null; type: 'result'; payload: { ok: false; error: ErrorBody } };

/** Parses text into a frame envelope; throws QixinError('bad_frame') with a reason. */
export function parseFrame(text: string): RawFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new QixinError('bad_frame', 'frame is not valid JSON');
  }
  const frame = RawFrame.safeParse(json);
  if (!frame.success)
    throw new QixinError('bad_frame', `frame must be {id?, type, payload}: ${z.prettifyError(frame.error)}`);
  return frame.data;
}

export function isRequestType(type: string): type is RequestType {
  return Object.hasOwn(requests, type);
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(events, type);
}

/** Validates a request payload against its schema; throws QixinError('invalid'). */
export function parseRequest<T extends RequestType>(
  type: T,
  payload: unknown,
): z.infer<(typeof requests)[T]['params']> {
  const parsed = requests[type].params.safeParse(payload ?? {});
  if (!parsed.success)
    throw new QixinError('invalid', `${type}: ${z.prettifyError(parsed.error)}`, schemaReason(parsed.error));
  return parsed.data as z.infer<(typeof requests)[T]['params']>;
}

export function okFrame(id: string, value: unknown): string {
  return JSON.stringify({ id, type: 'result', payload: { ok: true, value } });
}

export function errorFrame(id: string | null | undefined, error: ErrorBody): string {
  return JSON.stringify({ id: id ?? null, type: 'result', payload: { ok: false, error } });
}

export function eventFrame<T extends EventType>(type: T, payload: z.infer<(typeof events)[T]>): string {
  return JSON.stringify({ type, payload });
}
