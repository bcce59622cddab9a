import { ConfigError } from "../../errors.js";
import type { LlamaEngine, LlamaModel } from "../../engine/index.js";
import type { LlamaArgs } from "./args.js";
import { planKv, type KvPlan, type KvWorkload } from "./kvPlan.js";

/**
 * The backend's engine, made at the first generate() for that call's workload (kvPlan.ts): its KV
 * size and parallelism depend on the prompts and max_tokens, which only the requests tell. A later
 * call that needs longer sequences than the engine holds gets a new engine when no other call is
 * running; while one is, it is refused with the fix (never served shorter).
 */
export class SizedEngine {
  private engine: LlamaEngine | undefined;
  private current: KvPlan | undefined;
  private users = 0;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly model: LlamaModel,
    private readonly args: LlamaArgs,
    private readonly log: (message: string) => void,
  ) {}

  get plan(): KvPlan | undefined {
    return this.current;
  }

  get engineInfo(): LlamaEngine["info"] | undefined {
    return this.engine?.info;
  }

  /** An engine that holds `work`; call release() when the generate() call ends. */
  acquire(work: KvWorkload): Promise<LlamaEngine> {
    const next = this.lock.then(() => this.engineFor(work));
    this.lock = next.catch(() => undefined);
    return next;
  }

  release(): void {
    this.users--;
  }

  async close(): Promise<void> {
    await this.lock;
    await this.engine?.close();
    this.engine = undefined;
  }

  private async engineFor(work: KvWorkload): Promise<LlamaEngine> {
    if (this.engine && this.engine.info.nCtxPerSequence >= work.tokensPerSample) {
      this.users++;
      return this.engine;
    }
    if (this.engine && this.users > 0) {
      throw new ConfigError(
        `this generate() call needs ${work.tokensPerSample} tokens per sequence but the engine, busy with another call, holds ` +
          `${this.engine.info.nCtxPerSequence}; wait for that call, or pass --backend-args n_ctx and kv_mode sized for both`,
      );
    }
    // The old engine's KV memory is free again before the new one is sized from what is free.
    await this.engine?.close();
    this.engine = undefined;
    const plan = planKv(this.args, this.model.kvMemory(this.args.kv_type), work);
    this.log(`llama: ${plan.reason}`);
    this.engine = await this.model.createEngine({
      nCtx: plan.nCtx,
      maxSequences: plan.maxSequences,
      kvMode: plan.kvMode,
      nBatch: this.args.n_batch,
      threads: this.args.threads ?? 0,
      kvType: this.args.kv_type,
      flashAttn: this.args.flash_attn,
      deterministic: this.args.deterministic,
    });
    this.current = plan;
    this.users++;
    return this.engine;
  }
}
