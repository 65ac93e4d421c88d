export * from './calls';
export * from './service';
export * from './bridge';
