// Generic pieces every transport uses: the service interface a host implements, a
// dispatcher that validates arguments before the handler runs, and a typed client.
import { z } from 'zod';
import { QixinError, schemaReason, type Envelope } from '../protocol/errors';
import {
  calls,
  events,
  type CallArgs,
  type CallName,
  type CallResult,
  type EventName,
  type EventPayload,
} from './calls';

/** What the desktop core implements. Arguments arrive already validated. */
export type ContractService = {
  [N in CallName]: (args: z.infer<(typeof calls)[N]['args']>) => Promise<CallResult<N>>;
};

export type EventSink = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

/** Validates `rawArgs`, runs the handler, and always answers with an envelope. */
export async function dispatchCall(
  service: ContractService,
  name: unknown,
  rawArgs: unknown,
): Promise<Envelope<unknown>> {
  if (!isCallName(name))
    return { ok: false, error: { code: 'unknown_type', message: `unknown call: ${String(name)}` } };
  const parsed = calls[name].args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const reason = schemaReason(parsed.error);
    const message = `${name}: ${z.prettifyError(parsed.error)}`;
    return { ok: false, error: reason ? { code: 'invalid', message, reason } : { code: 'invalid', message } };
  }
  try {
    const handler = service[name] as (args: unknown) => Promise<unknown>;
    return { ok: true, value: await handler.call(service, parsed.data) };
  } catch (err) {
    if (err instanceof QixinError) return { ok: false, error: err.toBody() };
    return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
  }
}

/** The transport a client needs: send a call, get an envelope; subscribe to events. */
export interface ContractTransport {
  invoke(name: CallName, args: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
  /**
   * Electron only: the path on disk of a dropped or picked File (webUtils.getPathForFile), so the
   * core reads it directly. Absent in browser mode, where files are staged (`files.stageUrl`).
   */
  pathForFile?(file: unknown): string;
}

export interface ContractClient {
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

/** A typed client over any transport; a failed envelope becomes a thrown QixinError. */
export function createContractClient(transport: ContractTransport): ContractClient {
  return {
    async call(name, args) {
      const result = await transport.invoke(name, args);
      if (!result.ok) throw QixinError.from(result.error);
      return result.value as never;
    },
    on(name, listener) {
      return transport.subscribe((eventName, payload) => {
        if (eventName !== name) return;
        const parsed = events[name].safeParse(payload);
        if (parsed.success) listener(parsed.data as never);
      });
    },
  };
}
