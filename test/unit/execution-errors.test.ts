/**
 * The limit lines an executor writes itself when the runner could not (a deadline kill, the
 * kernel's OOM kill), word for word as the runner writes its own. The runner's side of the
 * comparison runs in test/integration/runner.test.ts ("words its limit errors as the service").
 */
import { expect } from 'chai';
import { describeBytes, memoryLimitErrorLine, timeoutErrorLine } from '../../src/execution/errors.ts';

describe('runner error lines', () => {
  it('words a timeout with the number as the contract writes it, and "1 second" in the singular', () => {
    expect(timeoutErrorLine(5)).to.equal('TimeoutError: execution timed out after 5 seconds');
    expect(timeoutErrorLine(1)).to.equal('TimeoutError: execution timed out after 1 second');
    expect(timeoutErrorLine(JSON.parse('1.0') as number)).to.equal('TimeoutError: execution timed out after 1 second');
    expect(timeoutErrorLine(2.5)).to.equal('TimeoutError: execution timed out after 2.5 seconds');
    expect(timeoutErrorLine(0.0001)).to.equal('TimeoutError: execution timed out after 0.0001 seconds');
  });

  it('words the memory limit in binary units with one decimal', () => {
    expect(memoryLimitErrorLine(128 * 1024 * 1024)).to.equal('MemoryError: the program exceeded the memory limit of 128 MB');
    expect(memoryLimitErrorLine(96.5 * 1024 * 1024)).to.equal('MemoryError: the program exceeded the memory limit of 96.5 MB');
  });

  it('describes sizes as the runner does, rounding a half to even on the exact quotient', () => {
    const sizes = [1, 100, 1023, 1024, 1536, 1048575, 1048576, 1.25 * 1048576, 1.75 * 1048576, 2.25 * 1024, 1048576 + 52429, 1048576 + 52428];
    expect(sizes.map(describeBytes)).to.deep.equal([
      '1 byte',
      '100 bytes',
      '1023 bytes',
      '1 KB',
      '1.5 KB',
      '1024 KB',
      '1 MB',
      '1.2 MB',
      '1.8 MB',
      '2.2 KB',
      '1.1 MB',
      '1 MB',
    ]);
  });
});
