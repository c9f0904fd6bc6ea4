import { Injectable } from '@nestjs/common';

/** The reports' idea of now; tests set it to drive the schedule and the catch-up. */
@Injectable()
export class ReportClock {
  now(): Date {
    return new Date();
  }
}
