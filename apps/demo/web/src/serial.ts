/**
 * Runs async tasks one at a time. Training steps and predictions for the drawing pad share the
 * backend; queuing them keeps a step's memory check from seeing a prediction's tensors.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
