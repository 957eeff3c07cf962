/**
 * A push queue behind an async iterator, with a separate `result()` promise that settles with the
 * final event. Producers `push` events and `end` once; a consumer that iterates late sees every event.
 */
export class EventStream<T, R> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private done = false;
  private readonly final: Promise<R>;
  private settle!: (r: R) => void;

  constructor() {
    this.final = new Promise<R>((resolve) => {
      this.settle = resolve;
    });
  }

  push(event: T): void {
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: event, done: false });
    } else this.queue.push(event);
  }

  end(result: R): void {
    if (this.done) return;
    this.done = true;
    this.settle(result);
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined, done: true });
    }
  }

  result(): Promise<R> {
    return this.final;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const value = this.queue.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
    };
  }
}
