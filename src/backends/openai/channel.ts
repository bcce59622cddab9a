/** A one-consumer queue that producers push into and a `for await` loop drains. */
export class Channel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private error: unknown;

  push(value: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value, done: false });
    } else {
      this.buffer.push(value);
    }
  }

  /** Ends the stream after what is buffered. */
  end(): void {
    this.settle(undefined);
  }

  /** Ends the stream with an error, thrown after what is buffered. */
  fail(error: unknown): void {
    this.settle(error ?? new Error("channel failed"));
  }

  private settle(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      if (error !== undefined) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.buffer.length) {
      const value = this.buffer[this.head++] as T;
      if (this.head > 1024 && this.head * 2 > this.buffer.length) {
        this.buffer.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) {
      return this.error !== undefined ? Promise.reject(this.error) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }
}
