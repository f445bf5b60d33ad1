/** Where "now" comes from. Tests bind a fixed clock; nothing else calls `new Date()` for stored times. */
export abstract class Clock {
  abstract now(): Date;

  nowIso(): string {
    return this.now().toISOString();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export class FixedClock extends Clock {
  constructor(private instant: Date) {
    super();
  }

  now(): Date {
    return new Date(this.instant.getTime());
  }

  set(instant: Date): void {
    this.instant = instant;
  }
}
