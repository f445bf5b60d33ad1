import { randomUUID } from 'node:crypto';

/** Primary keys are UUIDs made by the service, so both databases store the same text. */
export abstract class IdGenerator {
  abstract next(): string;
}

export class RandomIdGenerator extends IdGenerator {
  next(): string {
    return randomUUID();
  }
}
