import { mkdir, unlink } from 'node:fs/promises';
import type { LaneBinding, ZellijBinding } from '../specs/state-files.js';
import { bindingsDir, laneBindingFile, zellijBindingFile } from '../store/binding-files.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/** Records that this incarnation adopted a lane (one atomic file per lane). */
export async function writeLaneBinding(stateDir: string, binding: LaneBinding): Promise<void> {
  await mkdir(bindingsDir(stateDir), { recursive: true, mode: 0o700 });
  await writeFileAtomic(laneBindingFile(stateDir, binding.laneId), `${JSON.stringify(binding)}\n`);
}

/** Records that this incarnation adopted a zellij session, fenced by its server's identity. */
export async function writeZellijBinding(stateDir: string, binding: ZellijBinding): Promise<void> {
  await mkdir(bindingsDir(stateDir), { recursive: true, mode: 0o700 });
  await writeFileAtomic(zellijBindingFile(stateDir, binding.name), `${JSON.stringify(binding)}\n`);
}

export async function removeZellijBinding(stateDir: string, name: string): Promise<void> {
  await unlink(zellijBindingFile(stateDir, name)).catch(() => undefined);
}
