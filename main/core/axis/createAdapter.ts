// Picks the adapter for an axis's API dialect. Provincial platforms that differ only in paths or in
// the signing style are configured within 'vxp'; a different protocol gets its own variant here.
import type { AxisAdapter, AxisConfig } from './adapter.js';
import { AxisError } from './adapter.js';
import { VxpAdapter } from './vxpAdapter.js';

export function createAxisAdapter(config: AxisConfig): AxisAdapter {
  switch (config.variant) {
    case 'vxp':
      return new VxpAdapter(config);
    default:
      throw new AxisError('permanent', `Unknown axis variant "${String((config as { variant: unknown }).variant)}".`, { code: 'AXIS_NOT_CONFIGURED' });
  }
}
