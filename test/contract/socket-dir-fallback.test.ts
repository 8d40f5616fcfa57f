import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../specs/checkpoint-codec.js';
import { writeCheckpoint } from '../../store/checkpoint-store.js';
import { killMarked } from '../support/crash.js';
import { runCliProcessWithEnv } from '../support/daemon.js';
import { createSandbox } from '../support/sandbox.js';
import { realZellijBinary, ZELLIJ_EMULATOR, zellijBackend } from './backends.js';

const REAL_ZELLIJ = realZellijBinary();
const ZELLIJS: [string, string, boolean][] = [
  ['zellij emulator', ZELLIJ_EMULATOR, true],
  ['real zellij', REAL_ZELLIJ ?? '', REAL_ZELLIJ !== null],
];

describe.each(ZELLIJS)(
  'multiplexer contract, socket dir fallback: %s',
  (label, binary, present) => {
    it.skipIf(!present)(
      'finds and creates sessions under $TMPDIR/zellij-UID when XDG_RUNTIME_DIR is unset',
      async () => {
        const sandbox = createSandbox();
        const backend = zellijBackend(sandbox, binary, label, { socketsInTmpdir: true });
        try {
          const document = sealCheckpoint({
            workspaceId: sandbox.workspaceId,
            generation: 0,
            createdAt: new Date().toISOString(),
            host: 'contract',
            sessions: [
              {
                sessionId: 't1',
                terminalId: 't1',
                laneId: null,
                multiplexer: 'zellij',
                sessionName: 'helios-t1',
                workingDirectory: sandbox.dir('t1'),
                environment: {},
                shellCommand: ['/bin/sh'],
                scrollback: '',
              },
            ],
            lanes: [],
            shareWorkers: [],
          });
          await writeCheckpoint(sandbox.stateDir, document);
          const helios = (args: string[]) =>
            runCliProcessWithEnv([...args, ...backend.cli], { ...backend.env, CI: '1' });
          const recovered = await helios(['recover', '--no-wait']);
          expect(recovered.code, recovered.out).toBe(0);
          expect(existsSync(join(backend.socketDir!, 'helios-t1'))).toBe(true);
          expect((await helios(['plan'])).code).toBe(0);
        } finally {
          backend.cleanup();
          await killMarked(sandbox.workspaceId);
          sandbox.cleanup();
        }
      },
    );
  },
);
