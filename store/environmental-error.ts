/** Errors of the machine, not of the program: a full, read-only or misplaced state dir. */
const ENVIRONMENTAL = new Set([
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'EACCES',
  'EPERM',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'EIO',
  'ELOOP',
  'EFBIG',
  'EMLINK',
  'ENAMETOOLONG',
]);

/** One line for an environmental file error (`ENOSPC writing /s/audit.jsonl`), else null. */
export function environmentalReason(error: unknown): string | null {
  const { code, syscall, path } = (error ?? {}) as NodeJS.ErrnoException;
  if (code === undefined || !ENVIRONMENTAL.has(code)) return null;
  return `${code}${syscall ? ` (${syscall}${path ? ` ${path}` : ''})` : ''}`;
}
