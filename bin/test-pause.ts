import { UsageError } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import type { StageHooks } from '../controllers/compose.js';

const STAGES = ['DETECTING', 'INVENTORYING', 'RESTORING', 'RECONCILING'] as const;

/**
 * Test-only fault injection, `HELIOS_TEST_PAUSE_AT=<STAGE>[:<ms>]`: once the stage is persisted,
 * pause there forever (so a test can kill the process mid-recovery) or for `ms` milliseconds
 * (so a test can send requests during recovery). Unset: no pause.
 */
export function testPause(value: string | undefined, io: CliIo): StageHooks | undefined {
  if (value === undefined || value === '') return undefined;
  const [name, ms] = value.split(':');
  const stage = STAGES.find((candidate) => candidate === name);
  if (!stage || (ms !== undefined && !/^\d+$/.test(ms))) {
    throw new UsageError(
      `invalid HELIOS_TEST_PAUSE_AT "${value}": expected one of ${STAGES.join(', ')}, optionally :<ms>`,
    );
  }
  return {
    pauseAt: stage,
    onPause: (at) => {
      if (ms !== undefined) {
        io.err(`helios-recover: pausing ${ms} ms at ${at} (HELIOS_TEST_PAUSE_AT)\n`);
        return new Promise((resolve) => setTimeout(resolve, Number(ms)));
      }
      io.err(
        `helios-recover: paused at ${at} (HELIOS_TEST_PAUSE_AT); kill me to simulate a crash\n`,
      );
      setInterval(() => undefined, 1 << 30);
      return new Promise<void>(() => undefined);
    },
  };
}
