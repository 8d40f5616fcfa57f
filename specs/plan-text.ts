import type { TerminateTarget } from './plan.js';
import type { Remedy } from './remedies.js';

/*
 * Texts about plan actions shared by the banner, the events and the executors. This module
 * loads no zod, so the banner can use it before the engine is loaded.
 */

/** What an operator reads for a terminate's target: the process label, or the session. */
export function describeTerminateTarget(target: TerminateTarget): string {
  return target.type === 'process' ? target.label : `${target.backend} session ${target.name}`;
}

/** A session whose checkpoint cwd is gone: what failed, and what to do (plan and executor). */
export function missingCwdFailure(
  cwd: string,
  sessionName: string,
): { message: string; remedy: Remedy } {
  return {
    message: `directory ${cwd} no longer exists`,
    remedy: { code: 'create_directory', path: cwd, sessionName },
  };
}
