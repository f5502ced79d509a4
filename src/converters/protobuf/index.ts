export { ProtobufConverter } from './protobuf-converter';
export type { ProtobufConverterOptions } from './protobuf-converter';
export { PROTOBUF_CONVERTER_CONFIG_DEF } from './protobuf-converter-config';
export { connectToProtoSchema } from './connect-to-proto-schema';
export { protoToConnectSchema } from './proto-to-connect-schema';
