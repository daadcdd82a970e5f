// The DuckDB side of bench/cases (bench/cases.cpp runs it).
//
//   node cases.mjs <spec.json>
//
// spec.json: {threads, warmup, runs, tables: [{name, csv, columns: [[col, type], ...]}],
// queries: {name: {sql, params}}}. Loads each CSV into an in-memory table,
// runs every query `warmup + runs` times through a prepared statement with
// its BIGINT parameters, and prints one JSON object on stdout: {version,
// threads, load_seconds, rss_after_load_bytes, queries: {name: {first_ms,
// p50_ms, p99_ms, runs, answer: [[key, value], ...]}}}.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// Nearest-rank percentile, as bench/analytics/timing.h computes it.
function percentile(samples, share) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(Math.max(Math.ceil(share * sorted.length), 1), sorted.length);
  return sorted[rank - 1];
}

const instance = await DuckDBInstance.create(':memory:', { threads: String(spec.threads) });
const connection = await instance.connect();
const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];

const loadStart = process.hrtime.bigint();
for (const table of spec.tables) {
  const columns = table.columns.map(([c, t]) => `'${c}': '${t}'`).join(', ');
  await connection.run(
    `CREATE TABLE ${table.name} AS SELECT * FROM read_csv('${table.csv.replaceAll("'", "''")}', header = true,
       nullstr = '', columns = {${columns}})`);
}
const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;

const out = { version, threads: spec.threads, load_seconds: loadSeconds, rss_after_load_bytes: process.memoryUsage().rss, queries: {} };
for (const [name, query] of Object.entries(spec.queries)) {
  const prepared = await connection.prepare(query.sql);
  query.params.forEach((value, i) => prepared.bindBigInt(i + 1, BigInt(value)));
  const ms = [];
  let first = 0;
  let answer = [];
  for (let i = 0; i < spec.warmup + spec.runs; ++i) {
    const start = process.hrtime.bigint();
    const rows = (await prepared.runAndReadAll()).getRows();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (i === 0) {
      first = elapsed;
      answer = rows.map((r) => [String(r[0]), String(r[1])]);
    }
    if (i >= spec.warmup) ms.push(elapsed);
  }
  out.queries[name] = { first_ms: first, p50_ms: percentile(ms, 0.5), p99_ms: percentile(ms, 0.99), runs: ms.length, answer };
}
process.stdout.write(JSON.stringify(out) + '\n');
