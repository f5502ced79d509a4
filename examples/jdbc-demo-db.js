#!/usr/bin/env node
// Creates the SQLite database that examples/jdbc-source-sqlite.properties reads, or adds a row to it,
// or prints the rows of a table (e.g. the one examples/jdbc-sink-sqlite.properties writes).
//
//   node examples/jdbc-demo-db.js demo.db                    # table orders with three rows
//   node examples/jdbc-demo-db.js demo.db insert pears 4     # one more row, while the worker runs
//   node examples/jdbc-demo-db.js sink.db show lines         # every row of table lines, as JSON lines
//
// Creating is idempotent: the table is created if missing and the three rows are added only to an
// empty table. Uses the better-sqlite3 that connect-standalone itself depends on, so run it from
// the package's examples/ directory (in this repository, or where the package is installed).
'use strict';

let Database;
try {
  Database = require('better-sqlite3');
} catch (err) {
  if (err.code !== 'MODULE_NOT_FOUND') throw err;
  console.error(`${__filename}: better-sqlite3 not found; run this script from the examples/ directory of connect-standalone (it uses the package's copy)`);
  process.exit(1);
}

const [file, command = 'create', item, quantity = '1'] = process.argv.slice(2);
if (!file || !['create', 'insert', 'show'].includes(command) || (command !== 'create' && !item) || !/^\d+$/.test(quantity)) {
  console.error('usage: node jdbc-demo-db.js <file.db> [create | insert <item> [quantity] | show <table>]');
  process.exit(2);
}

function show(table) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // Integers as bigint, so 64-bit values print exactly.
    const rows = db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}" ORDER BY rowid`).safeIntegers(true).all();
    const exact = (_, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v);
    for (const row of rows) console.log(JSON.stringify(row, exact));
  } finally {
    db.close();
  }
}

function createOrInsert() {
  const db = new Database(file);
  try {
    // id: the incrementing column (NOT NULL, as validate.non.null requires). updated_at: the timestamp
    // column, written as CURRENT_TIMESTAMP writes it ('YYYY-MM-DD HH:MM:SS', UTC): SQLite compares
    // these as text, so keep every row in this one format.
    db.exec(`CREATE TABLE IF NOT EXISTS orders (
      id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
      item TEXT NOT NULL,
      quantity INTEGER NOT NULL,
      updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
    )`);
    const insert = db.prepare('INSERT INTO orders (item, quantity) VALUES (?, ?)');
    const print = (id) => console.log(JSON.stringify(db.prepare('SELECT * FROM orders WHERE id = ?').get(id)));
    if (command === 'insert') {
      print(insert.run(item, Number(quantity)).lastInsertRowid);
    } else if (db.prepare('SELECT count(*) AS n FROM orders').get().n === 0) {
      for (const [name, n] of [['apples', 3], ['bread', 1], ['coffee', 2]]) print(insert.run(name, n).lastInsertRowid);
    }
  } finally {
    db.close();
  }
}

if (command === 'show') show(item);
else createOrInsert();
