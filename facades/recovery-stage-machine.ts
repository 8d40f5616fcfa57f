import type { Observable } from 'rxjs';
import { ReplaySubject } from 'rxjs/internal/ReplaySubject';
import { configure, openHostStages, type WorkspaceOptions } from '../controllers/compose.js';
import {
  REPLAYED_EVENTS,
  type ActiveStage,
  type RecoveryEvent,
  type RecoveryStage,
} from '../specs/events.js';
import { type Remedy, RefusedError } from '../specs/remedies.js';
import { type HostBus, publishSafely } from './restoration-pipeline.js';

/** Where the workspace's stage machine stands. */
export interface StageMachineState {
  /** The stage reached (null: no run recorded yet). */
  readonly stage: RecoveryStage | null;
  /** Attempts of that stage so far. */
  readonly attempt: number;
  /** The incarnation resources are bound to (kept when an interrupted run resumes). */
  readonly incarnation: string;
  /** The stage a run was interrupted at (its process died mid-way), or null. */
  readonly interruptedAt: Exclude<ActiveStage, 'LIVE'> | null;
}

/**
 * The recovery stage machine as a library piece, for a host that drives its own runs: the
 * stage is persisted in the workspace's state dir (`recovery-state.json`, the file `recover`,
 * `restore()` and `status` use), so a host that crashes mid-run finds where it stopped
 * (`interruptedAt`) and resumes there with the same incarnation. Each move is checked
 * (DETECTING -> INVENTORYING -> RESTORING -> [RECONCILING ->] LIVE, a retry of the same stage,
 * or `<STAGE>_FAILED`; a new run starts at DETECTING or INVENTORYING) and announced as
 * `recovery.stage.changed` with the previous and the current stage.
 */
export class RecoveryStageMachine {
  readonly #config: ReturnType<typeof configure>;
  readonly #events = new ReplaySubject<RecoveryEvent>(REPLAYED_EVENTS);
  readonly #publish: ((event: RecoveryEvent) => void) | undefined;
  #machine: Awaited<ReturnType<typeof openHostStages>> | null = null;
  /** `recovery.stage.changed` for every move (the last REPLAYED_EVENTS replayed). */
  readonly events$: Observable<RecoveryEvent> = this.#events.asObservable();

  constructor(options: WorkspaceOptions & HostBus = {}) {
    this.#config = configure(options);
    this.#publish = options.publish;
  }

  /** Reads the persisted stage; call once before `transition`. */
  async open(): Promise<StageMachineState> {
    this.#machine = await openHostStages(this.#config, (event) => {
      this.#events.next(event);
      publishSafely(this.#publish, event);
    });
    return this.state;
  }

  get state(): StageMachineState {
    const machine = this.#machine;
    if (!machine) return { stage: null, attempt: 0, incarnation: '', interruptedAt: null };
    return {
      stage: machine.stage,
      attempt: machine.attempt,
      incarnation: machine.incarnation,
      interruptedAt: machine.interruptedAt,
    };
  }

  /** Moves to `to` (persisted, then announced); a move the machine has not is a RefusedError. */
  async transition(
    to: RecoveryStage,
    detail: { reason?: string; remedy?: Remedy } = {},
  ): Promise<StageMachineState> {
    if (!this.#machine) throw new RefusedError('open() the stage machine first');
    try {
      await this.#machine.enter(to, detail);
    } catch (error) {
      throw new RefusedError((error as Error).message);
    }
    return this.state;
  }
}
