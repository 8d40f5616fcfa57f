import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../support/sandbox.js';

/*
 * The package as a host app gets it: `npm pack`, installed into an empty project with no build
 * step of its own, a strict TypeScript consumer (docs/LIBRARY.md's example, extracted as
 * written) type-checked and run under Node, and under Bun where Bun can be installed.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
/** heliosApp's own recovery scenarios on the public API (test/fixtures/host-scenarios/). */
const SCENARIOS = ['sc027.ts', 'sc027-host.ts'];
// Tests run with an empty HOME: npm keeps using the machine's download cache.
const NPM_CACHE = process.env.npm_config_cache || join(userInfo().homedir, '.npm');

/** The example of docs/LIBRARY.md: its one `ts` block. */
export function libraryExample(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'LIBRARY.md'), 'utf8');
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  expect(blocks).toHaveLength(1);
  return blocks[0]!;
}

const npm = (cwd: string, args: string[]) =>
  run('npm', [...args, '--cache', NPM_CACHE, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });

describe('the packed library in an empty project', () => {
  let sandbox: Sandbox;
  let project: string;
  let bun: string | null = null;
  beforeAll(async () => {
    sandbox = createSandbox();
    project = sandbox.dir('consumer');
    const packed = sandbox.dir('packed');
    // dist/ is built by the test command; packing needs no build of its own here.
    await npm(ROOT, ['pack', '--ignore-scripts', '--pack-destination', packed]);
    const tarball = join(
      packed,
      readdirSync(packed).find((name) => name.endsWith('.tgz'))!,
    );
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    expect(listing).toMatch(/package\/LICENSE/);
    expect(listing).toMatch(/package\/docs\/LIBRARY\.md/);
    expect(listing).not.toMatch(/dist\/bench|dist\/bin\/demo|\.test\.|package\/test\//);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await npm(project, ['install', tarball]);
    writeFileSync(join(project, 'example.ts'), libraryExample());
    for (const file of SCENARIOS)
      copyFileSync(join(ROOT, 'test', 'fixtures', 'host-scenarios', file), join(project, file));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          outDir: 'out',
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['example.ts', ...SCENARIOS],
      }),
    );
    try {
      const tools = sandbox.dir('bun');
      writeFileSync(join(tools, 'package.json'), '{"private":true}');
      await npm(tools, ['install', 'bun@1']);
      bun = join(tools, 'node_modules', '.bin', 'bun');
      execFileSync(bun, ['--version']);
    } catch (error) {
      bun = null;
      console.log(
        `Bun could not be installed here, its run is skipped: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }, 180_000);
  afterAll(() => sandbox.cleanup());

  const expectRestored = (out: string) => {
    expect(out).toMatch(/^term-1 \(lane none\) is back on tmux \(respawned\)$/m);
    expect(out).toMatch(/^term-2 \(lane none\) is back on tmux \(respawned\)$/m);
    expect(out).toMatch(/Sessions: 2 restored, 0 failed/);
    expect(out).toMatch(/^events: stage INVENTORYING, stage RESTORING, stage LIVE, completed$/m);
    expect(out).toMatch(/^orphans terminated: 0, pending review: 0$/m);
    const live = sandbox.tmux('list-sessions', '-F', '#{session_name}').split('\n');
    expect(live).toEqual(expect.arrayContaining(['helios-example-1', 'helios-example-2']));
  };
  const exampleEnv = (state: string) => ({
    ...process.env,
    EXAMPLE_STATE_DIR: join(sandbox.root, state),
    EXAMPLE_TMUX_SOCKET: sandbox.socket,
  });
  const killExample = () => {
    for (const name of ['helios-example-1', 'helios-example-2'])
      try {
        sandbox.tmux('kill-session', '-t', `=${name}`);
      } catch {
        // not live
      }
  };

  it('type-checks strictly and runs the documented example under Node', async () => {
    await run(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      project,
    ]);
    mkdirSync(join(project, 'out'), { recursive: true });
    writeFileSync(join(project, 'out', 'package.json'), '{"type":"module"}');
    const { stdout } = await run(process.execPath, [join(project, 'out', 'example.js')], {
      cwd: project,
      env: exampleEnv('state-node'),
    });
    expectRestored(stdout);
    killExample();
  }, 120_000);

  const scenariosEnv = (name: string) => ({
    ...process.env,
    SC_ROOT: sandbox.dir(name),
    SC_TMUX_SOCKET: `${sandbox.socket}-${name}`,
  });
  const expectScenarios = (out: string) =>
    expect(out.split('\n').filter(Boolean)).toEqual(
      ['SC-027-001/002', 'SC-027-003', 'SC-027-004', 'SC-027-005'].map((id) => `${id} ok`),
    );

  it("passes heliosApp's recovery scenarios SC-027-001 to 005 under Node", async () => {
    const { stdout } = await run(process.execPath, [join(project, 'out', 'sc027.js')], {
      cwd: project,
      env: scenariosEnv('sc-node'),
    });
    expectScenarios(stdout);
  }, 180_000);

  it("passes heliosApp's recovery scenarios SC-027-001 to 005 under Bun", async (context) => {
    if (bun === null) return context.skip();
    const { stdout } = await run(bun, ['sc027.ts'], { cwd: project, env: scenariosEnv('sc-bun') });
    expectScenarios(stdout);
  }, 180_000);

  it('runs the same example under Bun', async (context) => {
    if (bun === null) return context.skip();
    const { stdout } = await run(bun, ['example.ts'], {
      cwd: project,
      env: exampleEnv('state-bun'),
    });
    expectRestored(stdout);
    killExample();
  }, 120_000);
});
