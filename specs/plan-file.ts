import { z } from 'zod';
import { describeZodError } from './checkpoint-codec.js';
import { LaneEntrySpec, Multiplexer, SessionEntrySpec } from './checkpoint-spec.js';
import { PLAN_API_VERSION, type Plan } from './plan.js';

const Reason = z.string().regex(/^[a-z_]+$/);
const Base = z.object({ key: z.string(), wave: z.number().int(), reason: Reason });
const SessionAction = Base.extend({ backend: Multiplexer, session: SessionEntrySpec });
const Pid = z.number().int().positive();
const TerminateTarget = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('process'),
    pid: Pid,
    startTime: z.number().int().nonnegative(),
    pgid: z.number().int(),
    signal: z.enum(['SIGHUP', 'SIGTERM']),
    label: z.string(),
  }),
  z.object({ type: z.literal('session'), backend: Multiplexer, name: z.string().min(1) }),
]);

/** A plan saved by `plan --out FILE`, validated before `recover --plan FILE` applies it. */
export const PlanFileSpec = z.object({
  apiVersion: z.literal(PLAN_API_VERSION),
  kind: z.literal('RecoveryPlan'),
  workspaceId: z.string().min(1),
  generation: z.number().int().nonnegative(),
  incarnation: z.string().min(1),
  fingerprint: z.string().min(1),
  actions: z.array(
    z.discriminatedUnion('kind', [
      SessionAction.extend({ kind: z.literal('reattach') }),
      SessionAction.extend({ kind: z.literal('respawn'), replacesExited: z.boolean() }),
      Base.extend({ kind: z.literal('reinventory'), lane: LaneEntrySpec }),
      Base.extend({ kind: z.literal('terminate'), target: TerminateTarget }),
      Base.extend({ kind: z.literal('remove'), path: z.string().regex(/^\//) }),
      Base.extend({
        kind: z.literal('flag'),
        reviewId: z.string().regex(/^r-[0-9a-f]{8}$/),
        subject: z.enum(['process', 'session', 'lane']),
        detail: z.string(),
      }),
    ]),
  ),
  blocked: z.array(
    z.object({
      key: z.string(),
      subject: z.enum(['session', 'lane']),
      id: z.string(),
      label: z.string(),
      reason: Reason,
      message: z.string(),
      suggestion: z.string(),
    }),
  ),
  unavailable: z.array(z.string()),
});

/** Parses a saved plan's text: the plan, or a one-line reason it cannot be used. */
export function decodePlanFile(
  text: string,
): { ok: true; plan: Plan } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  const apiVersion = (raw as { apiVersion?: unknown } | null)?.apiVersion;
  if (typeof raw === 'object' && raw !== null && apiVersion !== PLAN_API_VERSION) {
    return {
      ok: false,
      reason: `unknown apiVersion ${JSON.stringify(apiVersion ?? null)} (expected ${PLAN_API_VERSION})`,
    };
  }
  const parsed = PlanFileSpec.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: `not a recovery plan: ${describeZodError(parsed.error)}` };
  return { ok: true, plan: parsed.data as Plan };
}
