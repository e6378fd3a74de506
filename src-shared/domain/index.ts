export * from './case-types';
export * from './categories';
export * from './statuses';
export * from './phone-number';
export * from './email-address';
export * from './reference-number';
export * from './case-record';
