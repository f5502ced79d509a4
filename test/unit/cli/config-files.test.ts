import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfigFile } from '../../../src/cli/config-files';

describe('loadConfigFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string | Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('reads .properties', () => {
    expect(loadConfigFile(write('a.properties', 'name=x\nconnector.class=FileStreamSource\n'))).toEqual({ name: 'x', 'connector.class': 'FileStreamSource' });
  });

  it('reads flat JSON and converts numbers and booleans to strings', () => {
    expect(loadConfigFile(write('flat.json', '{"name":"x","tasks.max":1,"flag":true}'))).toEqual({ name: 'x', 'tasks.max': '1', flag: 'true' });
  });

  it('reads the REST body shape {"name", "config"}', () => {
    expect(loadConfigFile(write('rest.json', '{"name":"x","config":{"connector.class":"FileStreamSink","topics":"t"}}'))).toEqual({
      name: 'x',
      'connector.class': 'FileStreamSink',
      topics: 't',
    });
  });

  it.each([
    ['bad.json', '{"name":', /Malformed JSON in config file .*bad\.json/],
    ['arr.json', '[1]', /must hold a JSON object, found an array/],
    ['nested.json', '{"a":{"b":1}}', /Invalid value for "a" in .*nested\.json: expected a string, found an object/],
    ['mismatch.json', '{"name":"a","config":{"name":"b"}}', /Connector name mismatch/],
    ['extra.json', '{"name":"a","config":{},"tasks":[]}', /also "tasks"/],
  ])('rejects %s', (name, text, message) => {
    expect(() => loadConfigFile(write(name, text))).toThrow(message);
  });

  it('names a missing file', () => {
    const file = path.join(dir, 'nope.properties');
    expect(() => loadConfigFile(file)).toThrow(`Cannot read config file ${file}: no such file`);
  });

  it('refuses a directory and a binary file', () => {
    expect(() => loadConfigFile(dir)).toThrow('is a directory');
    expect(() => loadConfigFile(write('bin.properties', Buffer.from([0x61, 0, 0x62])))).toThrow('not a text file');
  });
});
