/** The bounds the executors put on what a runner writes (src/execution/runnerProtocol.ts). */
import { expect } from 'chai';
import { MAX_RUNNER_LINE_BYTES, RUNNER_RECORD_CHARS, maxRunnerStreamBytes } from '../../src/execution/runnerProtocol.ts';

const MiB = 1024 * 1024;

describe('runner stream bounds', () => {
  it("bounds the contract's 1 MB of output at about 7.5 MiB of records, from the framing's worst case", () => {
    // 6 bytes per output byte, 31-byte frames of 64 full + 16448 delayed + 1 final record, a 25 KiB result, 1 MiB of margin.
    const worstCase = 6 * MiB + (64 + 16448 + 1) * 31 + (24000 + 1024);
    expect(maxRunnerStreamBytes(MiB)).to.equal(worstCase + MiB);
    expect(maxRunnerStreamBytes(MiB) / MiB).to.be.within(7.5, 7.6);
  });

  it('grows with the output limit, and leaves room for a result with no output at all', () => {
    expect(maxRunnerStreamBytes(0)).to.equal((64 + 1) * 31 + 25024 + MiB);
    expect(maxRunnerStreamBytes(10 * MiB)).to.be.greaterThan(10 * maxRunnerStreamBytes(MiB) - 10 * MiB);
  });

  it('bounds one line at a full record of escaped characters in its frame', () => {
    expect(RUNNER_RECORD_CHARS).to.equal(16384);
    expect(MAX_RUNNER_LINE_BYTES).to.equal(16384 * 6 + 31 + 1024);
  });
});
