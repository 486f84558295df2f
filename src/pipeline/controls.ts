import type { Logger } from '../log.js';

/** Switches an admin flips at run time. */
export class Controls {
  private pausedBy: string | undefined;

  constructor(private readonly logger: Logger) {}

  /** Maintenance mode: only the rules engine and handoffs answer while it is on. */
  get paused(): boolean {
    return this.pausedBy !== undefined;
  }

  setPaused(paused: boolean, by: string): void {
    this.pausedBy = paused ? by : undefined;
    this.logger.info({ event: 'admin.pause', paused, by }, paused ? 'maintenance mode on' : 'maintenance mode off');
  }
}
