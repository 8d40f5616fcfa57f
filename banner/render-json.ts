import type { RecoveryEvent } from '../specs/events.js';
import type { BannerRenderer } from './renderer.js';

/** `--json`: every event as one JSON line, nothing else. */
export const jsonRenderer: BannerRenderer = {
  render: (event: RecoveryEvent) => `${JSON.stringify(event)}\n`,
  coalesces: () => false,
};
