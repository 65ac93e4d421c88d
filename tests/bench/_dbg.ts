import { benchFanout } from './fanout';
process.env.LOG_LEVEL = 'warn';
const r = await benchFanout(
  { users: 200, groupSize: 100, groupMessages: 300, groupLanes: 4, directMessages: 6000, window: 8, latencySeconds: 1 },
  (l) => process.stderr.write(l + '\n'),
);
for (const k of ['relay', 'bare'] as const)
  for (const s of ['group', 'direct'] as const) console.log(k, s, JSON.stringify(r[k][s]));
process.exit(0);
