// A failure of the grader itself, as opposed to an answer that is wrong. mathEqual catches only the
// failures it expects (its time budget running out, a value that is not numeric) and turns them
// into "not equal"; anything else is a bug in the grader, and a bug must not quietly lower a score.

const SHOWN_CHARS = 80;

function shown(s: string): string {
  return JSON.stringify(s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS)}...` : s);
}

/** Thrown by mathEqual when the comparison itself fails; `cause` is the original exception. */
export class GraderError extends Error {
  constructor(pred: string, gold: string, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`the math grader failed comparing ${shown(pred)} with ${shown(gold)} (${why}); this is a grader bug, please report it with these two answers`, { cause });
    this.name = "GraderError";
  }
}
