import { DataError, RetriableError } from '../../../src/api';
import { conversionError } from '../../../src/runtime/conversion-error';

describe('conversionError', () => {
  it('keeps a retriable cause retriable and turns anything else into a DataError', () => {
    const retriable = conversionError('Failed to convert the value of the record at topic t partition 0 offset 5', new RetriableError('registry unreachable'));
    expect(retriable).toBeInstanceOf(RetriableError);
    expect(retriable.message).toBe('Failed to convert the value of the record at topic t partition 0 offset 5: registry unreachable');
    const bad = conversionError('Failed to convert the key', new Error('Unknown magic byte!'));
    expect(bad).toBeInstanceOf(DataError);
    expect(bad.retriable).toBe(false);
    expect(bad.cause).toBeInstanceOf(Error);
  });
});
