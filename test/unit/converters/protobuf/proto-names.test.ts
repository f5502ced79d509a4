import { Schema, SchemaBuilder } from '../../../../src/api';
import { connectToProtoSchema } from '../../../../src/converters/protobuf';
import { mapEntryName, mapNameOfEntry, scrubName } from '../../../../src/converters/protobuf/proto-names';
import { parseProtobufConverterConfig } from '../../../../src/converters/protobuf/protobuf-converter-config';

describe('Protobuf names', () => {
  it('scrubs names as Confluent does (its ProtobufDataTest cases)', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['abc_DEF_123', 'abc_DEF_123'],
      ['abc+-.*_', 'abc_2B____'],
      ['abc-def', 'abc_def'],
      ['abc+def', 'abc_2Bdef'],
      ['abc  def', 'abc__def'],
      ['abc.def', 'abc_def'],
      ['0abc.def', 'x0abc_def'],
      ['_abc.def', 'x_abc_def'],
      ['0abc', 'x0abc'],
      ['_abc', 'x_abc'],
    ];
    expect(cases.map(([name]) => scrubName(name))).toEqual(cases.map(([, scrubbed]) => scrubbed));
  });

  it('names map entry messages and reads their names back as Confluent (toMapEntry, toMapField)', () => {
    expect([mapEntryName('ConnectDefault2'), mapEntryName('my_map'), mapEntryName('Counts')]).toEqual(['ConnectDefault2Entry', 'MyMapEntry', 'CountsEntry']);
    expect([mapNameOfEntry('ConnectDefault2Entry'), mapNameOfEntry('shop.Order.MyMapEntry'), mapNameOfEntry('Plain')]).toEqual(['connect_default2', 'shop.Order.my_map', 'Plain']);
  });

  it('writes scrubbed field and message names with scrub.invalid.names, the package from the schema namespace, and a nested struct named like its field with Message appended', () => {
    const options = parseProtobufConverterConfig({ 'schema.registry.url': 'http://r', 'scrub.invalid.names': 'true' }, false).data;
    const item = SchemaBuilder.struct().name('item').field('x', Schema.INT32_SCHEMA).build();
    const schema = SchemaBuilder.struct().name('com.acme.my-order').field('first-name', Schema.STRING_SCHEMA).field('item', item).build();
    const proto = connectToProtoSchema(schema, options);
    expect(proto.fullName).toBe('com.acme.my_order');
    expect(proto.text).toBe('syntax = "proto3";\npackage com.acme;\n\nmessage my_order {\n  string first_name = 1;\n  itemMessage item = 2;\n\n  message itemMessage {\n    int32 x = 1;\n  }\n}\n');
  });
});
