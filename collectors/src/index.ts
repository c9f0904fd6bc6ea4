export * from './events.js';
export * from './collector.js';
export * from './registry.js';
