export * from './entities';
export * from './errors';
export * from './messages';
export * from './frames';
export * from './http';
