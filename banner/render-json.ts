import type { RecoveryEvent } from '../specs/events.js';
import type { Remedy } from '../specs/remedies.js';
import type { BannerRenderer } from './renderer.js';
import { type RemedyText, renderRemedy } from './render-remedy.js';

/** The fields that hold a remedy, and the field its text goes in, right after it. */
const TEXT_OF = new Map([
  ['remedy', 'suggestion'],
  ['failureRemedy', 'failureSuggestion'],
]);
const REMEDY_FIELDS = [...TEXT_OF.keys()];
const TEXT_FIELDS = new Set(TEXT_OF.values());

const isRemedy = (value: unknown): value is Remedy =>
  typeof value === 'object' && value !== null && 'code' in value;

const holdsRemedy = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  REMEDY_FIELDS.some((key) => isRemedy((value as Record<string, unknown>)[key]));

/**
 * `value` as one line of JSON in which every object that carries a remedy (`remedy`, a failed
 * stage's `failureRemedy`: the data) also carries its text right after it (`suggestion`,
 * `failureSuggestion`): the remedy as `remedyText` words it (the CLI's text, with the
 * workspace's flags). Nothing else changes: the text is built from the data, never by
 * rewriting output.
 */
export function jsonWithSuggestions(value: unknown, remedyText: RemedyText = renderRemedy): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (!holdsRemedy(item)) return item;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(item)) {
      if (TEXT_FIELDS.has(key)) continue;
      out[key] = field;
      const text = TEXT_OF.get(key);
      if (text !== undefined && isRemedy(field)) out[text] = remedyText(field);
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
