export * from './accounts.ts';
export * from './audit.ts';
export * from './entities.ts';
export * from './regions.ts';
export * from './system.ts';
