import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { InputError } from '../../src/cli/errors';
import { formatPath, parseLocatedJson } from '../../src/cli/json-input';

describe('cli/json-input', () => {
  it('parses exactly what JSON.parse parses (any JSON value, any indentation)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        assert.deepEqual(parseLocatedJson(text, 'x.json').value, JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a "__proto__" member as an own property, as JSON.parse does', () => {
    const text = '{"__proto__": "", "a": 1}';
    const parsed = parseLocatedJson(text, 'x.json').value as Record<string, unknown>;
    assert.deepEqual(parsed, JSON.parse(text));
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  });

  it('knows the line of every value', () => {
    const text = '{\n "labels": [0, 1,\n   2],\n "predictions": [\n  [0, 1],\n  [1, -1]\n ]\n}\n';
    const json = parseLocatedJson(text, 'm.json');
    assert.equal(json.lineOf(['labels']), 2);
    assert.equal(json.lineOf(['labels', 2]), 3);
    assert.equal(json.lineOf(['predictions', 1]), 6);
    assert.equal(json.lineOf(['predictions', 1, 1]), 6);
    assert.equal(json.lineOf(['predictions', 9]), 4); // absent -> nearest ancestor
    const error = json.error(['predictions', 1, 1], 'bad');
    assert.deepEqual([error.file, error.line, error.field], ['m.json', 6, 'predictions[1][1]']);
  });

  it('rejects malformed JSON with the line of the problem', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['{\n "a": [1, 2,]\n}', 2, /unexpected '\]'/],
      ['{\n "a": 1\n "b": 2}', 3, /expected ',' or '}'/],
      ['', 1, /empty/],
      ['{"a": NaN}', 1, /unexpected 'N'/],
      ['[1, 2]\n\n[3]', 3, /after the end of the document/],
      ['{"a": "x\ny"}', 1, /unterminated string/],
    ];
    for (const [text, line, pattern] of cases) {
      assert.throws(
        () => parseLocatedJson(text, 'bad.json'),
        (e: unknown) => e instanceof InputError && e.line === line && e.file === 'bad.json' && pattern.test(e.message),
        text,
      );
    }
  });

  it('writes paths as field names', () => {
    assert.equal(formatPath(['grid', 'alpha', 2]), 'grid.alpha[2]');
    assert.equal(formatPath([]), '(document)');
  });
});
