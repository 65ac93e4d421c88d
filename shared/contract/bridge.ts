// Browser mode: the desktop core serves the contract over a loopback WebSocket
// (`/bridge?token=…`, a random token per launch). These are its frames.
import { z } from 'zod';

export const BRIDGE_PATH = '/bridge';

export const BridgeRequest = z.object({ id: z.number().int(), call: z.string(), args: z.unknown() });
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export type BridgeServerFrame =
  | { id: number; result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } } }
  | { event: string; payload: unknown };
