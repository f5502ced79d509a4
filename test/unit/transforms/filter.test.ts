import { sourceRecord } from '../../../src/api';
import { builtinTransformations } from '../../../src/transforms';
import { Filter } from '../../../src/transforms/filter';

describe('Filter', () => {
  it('drops every record, tombstones included, and takes no keys', () => {
    const filter = new Filter();
    filter.configure({});
    expect(filter.config().names()).toEqual([]);
    expect(filter.apply(sourceRecord({ topic: 't', value: 'v' }))).toBeNull();
    expect(filter.apply(sourceRecord({ topic: 't', value: null }))).toBeNull();
  });

  it('is registered as org.apache.kafka.connect.transforms.Filter and Filter', () => {
    const plugin = builtinTransformations.find((p) => p.className === 'org.apache.kafka.connect.transforms.Filter');
    expect(plugin?.aliases).toEqual(['Filter']);
    expect(plugin?.create()).toBeInstanceOf(Filter);
  });
});
