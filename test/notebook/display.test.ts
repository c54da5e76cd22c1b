import assert from 'node:assert/strict';
import { skipWhileSocketBusy, statusLine } from '../../src/notebook/display';

describe('notebook: status lines', () => {
  it('skipWhileSocketBusy skips a line zeromq refuses while a send is pending, and rethrows anything else', () => {
    const shown: string[] = [];
    let busy = false;
    const line = skipWhileSocketBusy((text) => {
      if (busy) throw new Error('Socket is busy writing; only one send operation may be in progress at any time');
      if (text === 'bad') throw new TypeError('not a socket problem');
      shown.push(text);
    });
    line('seed 1');
    busy = true;
    line('seed 2');
    busy = false;
    line('seed 3');
    assert.deepEqual(shown, ['seed 1', 'seed 3']);
    assert.throws(() => line('bad'), TypeError);
  });

  it('statusLine outside a kernel: a line on stderr at most every 5 s, and always the final one', () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
    try {
      const status = statusLine();
      status('first');
      status('second');
      status('done', true);
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(written, ['first\n', 'done\n']);
  });
});
