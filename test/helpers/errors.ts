import { AppError } from '../../src/core/errors.js';

/** The AppError that `f` throws; fails the test when it throws nothing or something else. */
export function appErrorOf(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError, nothing was thrown');
}
