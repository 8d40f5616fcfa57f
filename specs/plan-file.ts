import { z } from 'zod';
import { describeZodError } from './checkpoint-codec.js';
import { LaneEntrySpec, Multiplexer, SessionEntrySpec } from './checkpoint-spec.js';
import { PLAN_API_VERSION, type Plan } from './plan.js';

const Reason = z.string().regex(/^[a-z_]+$/);
const SessionAction = z.object({
  key: z.string(),
  wave: z.number().int(),
  reason: Reason,
  backend: Multiplexer,
  session: SessionEntrySpec,
});

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
      z.object({
        kind: z.literal('reinventory'),
        key: z.string(),
        wave: z.number().int(),
        reason: Reason,
        lane: LaneEntrySpec,
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
