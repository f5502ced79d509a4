/** Asserts that fn throws an instance of type with exactly this message (toThrow(error) also compares causes). */
export function expectError(fn: () => unknown, type: abstract new (...args: never[]) => Error, message: string | RegExp): Error {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(type);
  const error = thrown as Error;
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  return error;
}
