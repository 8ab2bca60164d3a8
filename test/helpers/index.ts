export * from './ref64.ts';
export { flatGrads } from './tf.ts';
