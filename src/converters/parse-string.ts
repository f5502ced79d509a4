/** Values.parseString lives in the public API (transforms use it too); converters keep importing it from here. */
export { parseString } from '../api/parse-string';
