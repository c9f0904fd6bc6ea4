export * from './events.js';
export * from './collector.js';
