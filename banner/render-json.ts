import type { RecoveryEvent } from '../specs/events.js';
import type { Remedy } from '../specs/remedies.js';
import type { BannerRenderer } from './renderer.js';
import { type RemedyText, renderRemedy } from './render-remedy.js';

const hasRemedy = (value: unknown): value is { remedy: Remedy } => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const remedy = (value as { remedy?: unknown }).remedy;
  return typeof remedy === 'object' && remedy !== null && 'code' in remedy;
};

/**
 * `value` as one line of JSON in which every object that carries a `remedy` (the data) also
 * carries, right after it, `suggestion`: that remedy as `remedyText` words it (the CLI's text,
 * with the workspace's flags). Nothing else changes: the text is built from the data, never by
 * rewriting output.
 */
export function jsonWithSuggestions(value: unknown, remedyText: RemedyText = renderRemedy): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (!hasRemedy(item)) return item;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(item)) {
      if (key === 'suggestion') continue;
      out[key] = field;
      if (key === 'remedy') out.suggestion = remedyText(item.remedy);
    }
    return out;
  });
}

/** `--json`: every event as one JSON line (remedies with their `suggestion`), nothing else. */
export function createJsonRenderer(remedyText?: RemedyText): BannerRenderer {
  return {
    render: (event: RecoveryEvent) => `${jsonWithSuggestions(event, remedyText)}\n`,
    coalesces: () => false,
  };
}

export const jsonRenderer: BannerRenderer = createJsonRenderer();
