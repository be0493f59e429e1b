/** The 408 sentence of the contract, for whole and fractional timeouts. */
import { expect } from 'chai';
import { timeoutDetail } from '../../src/execution/errors.ts';

describe('timeoutDetail', () => {
  it('writes whole seconds as the contract does', () => {
    expect(timeoutDetail(5)).to.equal('Execution timed out after 5 seconds');
    expect(timeoutDetail(JSON.parse('5.0') as number)).to.equal('Execution timed out after 5 seconds');
  });

  it('writes a fraction as the client sent it, never rounded to zero', () => {
    expect(timeoutDetail(2.5)).to.equal('Execution timed out after 2.5 seconds');
    expect(timeoutDetail(JSON.parse('0.1') as number)).to.equal('Execution timed out after 0.1 seconds');
    expect(timeoutDetail(JSON.parse('0.0001') as number)).to.equal('Execution timed out after 0.0001 seconds');
  });
});
