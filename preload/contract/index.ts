export * from './errors.js';
export * from './limits.js';
export * from './document.js';
export * from './channels.js';
export * from './engines.js';
export * from './detect.js';
export * from './jobs.js';
export * from './models.js';
export type * from './api.js';
