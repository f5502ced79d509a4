import { TableId } from '../../../../../connectors/jdbc/dialect';
import { checkDuplicateTableNames, filterTables, groupPartitions } from '../../../../../connectors/jdbc/source/table-filter';
import { FakeDb } from './fake-db';

const dialect = new FakeDb().dialect;
const none = { whitelist: [], blacklist: [], includeList: [], excludeList: [] };
const tables = [new TableId(null, 'main', 'orders'), new TableId(null, 'main', 'users'), new TableId(null, 'aux', 'orders_tmp')];

describe('groupPartitions', () => {
  it("splits into contiguous groups as Kafka's ConnectorUtils, the first ones larger", () => {
    expect(groupPartitions([1, 2, 3, 4, 5], 3)).toEqual([[1, 2], [3, 4], [5]]);
    expect(groupPartitions([1, 2], 2)).toEqual([[1], [2]]);
    expect(groupPartitions([1, 2, 3], 1)).toEqual([[1, 2, 3]]);
  });
});

describe('filterTables', () => {
  it('keeps every table without filters', () => {
    expect(filterTables(tables, none, dialect)).toEqual(tables);
  });

  it('whitelist entries match the bare, the dotted or the quoted dotted name', () => {
    const names = (w: string[]) => filterTables(tables, { ...none, whitelist: w }, dialect).map((t) => t.toString());
    expect(names(['orders'])).toEqual(['main.orders']);
    expect(names(['main.users'])).toEqual(['main.users']);
    expect(names(['"aux"."orders_tmp"'])).toEqual(['aux.orders_tmp']);
  });

  it('blacklist leaves the named tables out', () => {
    expect(filterTables(tables, { ...none, blacklist: ['users'] }, dialect).map((t) => t.table)).toEqual(['orders', 'orders_tmp']);
  });

  it('include and exclude expressions match the whole dotted name', () => {
    const options = { ...none, includeList: [/^(?:.*\.orders.*)$/], excludeList: [/^(?:aux\..*)$/] };
    expect(filterTables(tables, options, dialect).map((t) => t.toString())).toEqual(['main.orders']);
  });
});

describe('checkDuplicateTableNames', () => {
  it('fails when two tables share a bare name, naming them and the key to fix', () => {
    const dup = [new TableId(null, 'a', 'orders'), new TableId(null, 'b', 'orders')];
    expect(() => checkDuplicateTableNames(dup, { ...none, blacklist: ['x'] })).toThrow(/a\.orders, b\.orders.*'table\.blacklist'/);
    expect(() => checkDuplicateTableNames(tables, none)).not.toThrow();
  });
});
