import { DateTime } from 'luxon';

/** The one source of "now". Inject it; never call Date.now() in domain code. */
export abstract class Clock {
  abstract now(): DateTime;

  nowDate(): Date {
    return this.now().toJSDate();
  }
}

export class SystemClock extends Clock {
  now(): DateTime {
    return DateTime.utc();
  }
}

/** A clock that stands still unless told otherwise: RECALL_NOW pins it, tests move it. */
export class FixedClock extends Clock {
  private current: DateTime;

  constructor(instant: DateTime | string) {
    super();
    this.current = typeof instant === 'string' ? FixedClock.parse(instant) : instant.toUTC();
  }

  static parse(iso: string): DateTime {
    const parsed = DateTime.fromISO(iso, { setZone: true });
    if (!parsed.isValid) throw new Error(`not an ISO instant: ${iso}`);
    return parsed.toUTC();
  }

  now(): DateTime {
    return this.current;
  }

  set(instant: DateTime | string): void {
    this.current = typeof instant === 'string' ? FixedClock.parse(instant) : instant.toUTC();
  }

  advance(duration: { minutes?: number; hours?: number; days?: number; seconds?: number }): void {
    this.current = this.current.plus(duration);
  }
}
