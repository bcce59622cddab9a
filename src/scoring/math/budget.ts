// Wall-clock budget shared by every step of one mathEqual call, so no input can hang the scorer.

export class BudgetExceeded extends Error {
  constructor() {
    super("mathEqual time budget exceeded");
  }
}

export class Budget {
  private deadline: number;
  private ticks = 0;

  constructor(ms: number) {
    this.deadline = performance.now() + ms;
  }

  /** Time that must not count against the caller, such as loading the parser once per process. */
  extend(ms: number): void {
    this.deadline += ms;
  }

  /** Cheap enough for inner loops: reads the clock once every 32 calls. */
  check(): void {
    if ((++this.ticks & 31) === 0 && performance.now() > this.deadline) throw new BudgetExceeded();
  }

  get exceeded(): boolean {
    return performance.now() > this.deadline;
  }
}
