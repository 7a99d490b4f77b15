// The JSON readers (text-json.ts): arrays of arrays, JSON Lines and labels files,
// strict about every value, errors naming the row and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonMatrix, parseJsonl, parseLabels } from '../../../src/io/text-json.js';
import { fixture, assertInputError } from './helpers.js';

const td = new TextDecoder();

test('JSON: array of arrays, flat array as a column, strict checks with row and column', () => {
  let m = parseJsonMatrix(' [[1, 2.5e0], [-3, 4]] \n', 'a.json');
  assert.deepEqual([m.rows, m.cols, ...m.data], [2, 2, 1, 2.5, -3, 4]);
  m = parseJsonMatrix('[1, 2, 3]', 'v.json');
  assert.deepEqual([m.rows, m.cols, ...m.data], [3, 1, 1, 2, 3]);
  assertInputError(() => parseJsonMatrix('[[1, 2], [3, NaN]]', 'nan.json'), 'nan.json', /row 2, column 2: NaN is not allowed/);
  assertInputError(() => parseJsonMatrix('[[1, -Infinity]]', 'inf.json'), 'inf.json', /row 1, column 2: -Infinity is not allowed/);
  assertInputError(() => parseJsonMatrix('[[1, 2], [3]]', 'r.json'), 'r.json', /row 2 has 1 values, expected 2/);
  assertInputError(() => parseJsonMatrix('[[1, 2], [3, null]]', 'n.json'), 'n.json', /row 2, column 2: expected a number, found null/);
  assertInputError(() => parseJsonMatrix('[[1, "2"]]', 's.json'), 's.json', /row 1, column 2: expected a number, found a string/);
  assertInputError(() => parseJsonMatrix('[[1, 1e400]]', 'o.json'), 'o.json', /row 1, column 2: "1e400" is out of float32 range/);
  assertInputError(() => parseJsonMatrix('[[1, 2]', 't.json'), 't.json', /invalid JSON at line 1/);
  assertInputError(() => parseJsonMatrix('[[1, 2]] x', 't.json'), 't.json', /unexpected text after the array/);
  assertInputError(() => parseJsonMatrix('{"a": 1}', 'o.json'), 'o.json', /expected a JSON array of rows/);
  assertInputError(() => parseJsonMatrix('[]', 'e.json'), 'e.json', /empty/);
  assertInputError(() => parseJsonMatrix('  \n', 'e.json'), 'e.json', /empty file/);
  assertInputError(() => parseJsonMatrix('[[]]', 'e.json'), 'e.json', /row 1 is empty/);
});

test('JSONL: one array per line, CRLF and trailing blank lines ok; errors name the line', () => {
  const m = parseJsonl('[1, 2]\r\n[3, 4]\r\n\r\n', 'a.jsonl');
  assert.deepEqual([m.rows, m.cols, ...m.data], [2, 2, 1, 2, 3, 4]);
  assertInputError(() => parseJsonl('[1, 2]\n[3, NaN]\n', 'n.jsonl'), 'n.jsonl', /line 2, column 2: NaN is not allowed/);
  assertInputError(() => parseJsonl('[1, 2]\n[3]\n', 'r.jsonl'), 'r.jsonl', /line 2 has 1 values, expected 2/);
  assertInputError(() => parseJsonl('[1, 2]\n\n[3, 4]\n', 'b.jsonl'), 'b.jsonl', /line 2: blank line/);
  assertInputError(() => parseJsonl('[1, 2] [3, 4]\n', 'm.jsonl'), 'm.jsonl', /one array per line/);
  assertInputError(() => parseJsonl('', 'e.jsonl'), 'e.jsonl', /empty file/);
});

test('parseLabels: one per line, trailing newline ok, count checked', () => {
  const text = td.decode(fixture('labels.txt'));
  assert.deepEqual(parseLabels(text, 'labels.txt', 5), ['cat', 'dog', '"quoted, kept"', '', 'bird']);
  assert.deepEqual(parseLabels('a\r\nb', 'l.txt', 2), ['a', 'b']);
  assertInputError(() => parseLabels(text, 'labels.txt', 6), 'labels.txt', /has 5 labels \(lines\), expected 6/);
});

test('labels: a JSON array of strings or numbers, checked like lines', () => {
  assert.deepEqual(parseLabels('["cat", "dog", 7]', 'l.json', 3), ['cat', 'dog', '7']);
  assert.deepEqual(parseLabels(' ["a\\nb", "c"]\n', 'labels.txt', 2), ['a\nb', 'c']); // '[' start, any name
  assert.deepEqual(parseLabels('[cat]\n[dog]\n', 'labels.txt', 2), ['[cat]', '[dog]']); // not JSON: lines
  assertInputError(() => parseLabels('["a", "b"]', 'l.json', 3), 'l.json', /has 2 labels \(JSON array entries\), expected 3/);
  assertInputError(() => parseLabels('["a", null]', 'l.json', 2), 'l.json', /label 2 \(1-based\) is null/);
  assertInputError(() => parseLabels('{"a": 1}', 'l.json', 1), 'l.json', /JSON array of labels/);
  assertInputError(() => parseLabels('["a",', 'l.json', 1), 'l.json', /is not valid JSON/);
});
