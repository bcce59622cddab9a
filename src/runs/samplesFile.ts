import { closeSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import type { FinishReason } from "../backends/index.js";
import { diskFullOr, RunError } from "../errors.js";

/** One line of samples.jsonl: a finished sample of one problem. */
export interface SampleLine {
  /** The problem's `_index`. */
  id: string;
  sample: number;
  text: string;
  finish_reason: FinishReason;
  prompt_tokens: number;
  completion_tokens: number;
  error?: string;
  reasoning?: string;
  /**
   * The first 16 hex digits of the sha256 of the prompt the sample answers (the rendered chat
   * template, or the messages when the server renders them): a resumed run refuses samples whose
   * prompt changed. Absent in lines written before it was recorded.
   */
  prompt_hash?: string;
  /** llama, KV pool: times the sample's cells were taken back and recomputed (its text is unchanged). */
  preemptions?: number;
  /** ISO time the sample finished. */
  time: string;
}

/**
 * Reads samples.jsonl. A last line without its newline is what a kill during a write leaves: it
 * is dropped, and `validBytes` says where to truncate before appending again. Later lines for the
 * same (id, sample) replace earlier ones only when the earlier one was an error (errors are
 * retried on resume).
 */
export function readSamples(path: string): { samples: Map<string, SampleLine>; validBytes: number } {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { samples: new Map(), validBytes: 0 };
    throw new RunError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const validBytes = buf.lastIndexOf(0x0a) + 1;
  const samples = new Map<string, SampleLine>();
  const lines = buf.subarray(0, validBytes).toString("utf8").split("\n");
  lines.pop();
  lines.forEach((line, i) => {
    let s: SampleLine;
    try {
      s = JSON.parse(line) as SampleLine;
    } catch {
      throw new RunError(
        `${path} line ${i + 1} is not valid JSON; delete that line to keep the other samples, or rerun with --overwrite`,
      );
    }
    const key = sampleKey(s.id, s.sample);
    const prev = samples.get(key);
    if (!prev || prev.finish_reason === "error") samples.set(key, s);
  });
  return { samples, validBytes };
}

export function sampleKey(id: string, sample: number): string {
  return `${id}\u0000${sample}`;
}

/**
 * Appends lines with one write() each, so a SIGKILL keeps every line already appended (the data
 * is in the page cache); fdatasync runs in batches (every `syncEvery` lines or `syncMs`) for power
 * loss, and on close.
 */
export class SamplesAppender {
  private readonly fd: number;
  private unsynced = 0;
  private lastSync = Date.now();

  constructor(
    readonly path: string,
    validBytes: number,
    private readonly syncEvery = 64,
    private readonly syncMs = 2000,
  ) {
    try {
      this.fd = openSync(path, "a");
      ftruncateSync(this.fd, validBytes);
    } catch (e) {
      const err = diskFullOr(e, path);
      throw err !== e ? err : new RunError(`cannot write ${path}: ${(e as Error).message}; choose another --result-dir`);
    }
  }

  /**
   * @throws DiskFullError when the disk is full: a part of the line may be on disk without its
   *   newline, which the next read drops (the sample is generated again).
   */
  append(line: SampleLine): void {
    const buf = Buffer.from(JSON.stringify(line) + "\n", "utf8");
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(this.fd, buf, off);
    } catch (e) {
      throw diskFullOr(e, this.path);
    }
    this.unsynced++;
    if (this.unsynced >= this.syncEvery || Date.now() - this.lastSync >= this.syncMs) this.sync();
  }

  sync(): void {
    if (this.unsynced === 0) return;
    try {
      fdatasyncSync(this.fd);
    } catch (e) {
      throw diskFullOr(e, this.path);
    }
    this.unsynced = 0;
    this.lastSync = Date.now();
  }

  close(): void {
    try {
      this.sync();
    } finally {
      closeSync(this.fd);
    }
  }
}
