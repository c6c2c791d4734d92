/** All ipSCAPE structural schemas. */
export * from './common';
export * from './leads';
export * from './lead-lists';
export * from './activities';
export * from './campaigns';
export * from './media';
export * from './privacy';
export * from './users';
export * from './calls';
