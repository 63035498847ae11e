/**
 * Ctrl-C stops training after the current step so the result so far is evaluated and printed;
 * a second Ctrl-C exits at once.
 */
export class Interrupt {
  requested = false;
  private readonly onSignal = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
    process.stderr.write('\nstopping after this step (Ctrl-C again to quit now)…\n');
  };

  listen(): this {
    process.on('SIGINT', this.onSignal);
    return this;
  }

  close(): void {
    process.off('SIGINT', this.onSignal);
  }
}
