import { describeZodError } from './checkpoint-codec.js';
import { Plan, PLAN_API_VERSION } from './plan.js';

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
  const parsed = Plan.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: `not a recovery plan: ${describeZodError(parsed.error)}` };
  return { ok: true, plan: parsed.data };
}
