/** Counts in English: `1 session`, `2 sessions`, `0 lanes`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
