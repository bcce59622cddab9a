/**
 * Errors a user can act on. Each message says what failed, which thing (flag, file, task, row) and
 * what to do; the CLI prints the message alone (the stack only with --verbose).
 */
export class SkyThoughtError extends Error {
  override name = "SkyThoughtError";
}

/** A bad option, flag, `k=v` string or config file. */
export class ConfigError extends SkyThoughtError {
  override name = "ConfigError";
}

/** An unknown task, a bad task YAML, or a handler that cannot be resolved. */
export class TaskError extends SkyThoughtError {
  override name = "TaskError";
}

/** Rows that cannot be loaded: no network, a missing or malformed data file. */
export class DataError extends SkyThoughtError {
  override name = "DataError";
}

/** The native engine: a bad model file, an impossible context, out of memory. */
export class EngineError extends SkyThoughtError {
  override name = "EngineError";
}

/** A remote backend that refused or failed a request for good. */
export class BackendError extends SkyThoughtError {
  override name = "BackendError";
}

/** A run folder that cannot be used: unwritable, from another config, or corrupt. */
export class RunError extends SkyThoughtError {
  override name = "RunError";
}

/**
 * A write failed for lack of space (ENOSPC) or quota (EDQUOT). Nothing already written is lost:
 * samples.jsonl keeps its complete lines and files written atomically keep their old content, so
 * a rerun resumes once space is freed.
 */
export class DiskFullError extends SkyThoughtError {
  override name = "DiskFullError";
  constructor(readonly path: string) {
    super(`disk full at ${path}; free space and rerun to resume`);
  }
}

/** `e` as a DiskFullError naming `path` when it is ENOSPC or EDQUOT; otherwise `e` itself. */
export function diskFullOr(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT" ? new DiskFullError(path) : e;
}
