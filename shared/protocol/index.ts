export * from './entities';
export * from './errors';
export * from './messages';
export * from './frames';
export * from './http';
export * from './directory-io';
export * from './message-content';
export * from './files';
