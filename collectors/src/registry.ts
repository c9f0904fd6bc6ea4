import type { Collector } from './collector.js';

// Every collector, by kind. Adding a source kind is one folder and one line here.
export const collectors: Collector[] = [];
