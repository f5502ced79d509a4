import { WindowedStat } from '../../../../src/runtime/metrics/windowed-stat';

describe('WindowedStat', () => {
  it('averages and maxes over the last two 30 s windows, forgetting older ones', () => {
    const stat = new WindowedStat();
    expect(stat.avg(0)).toBeNaN();
    stat.record(10, 1_000);
    stat.record(30, 2_000);
    expect(stat.avg(2_000)).toBe(20);
    expect(stat.max(2_000)).toBe(30);
    stat.record(2, 40_000); // second window
    expect(stat.avg(40_000)).toBe(14);
    expect(stat.max(40_000)).toBe(30);
    stat.record(4, 75_000); // third window replaces the first
    expect(stat.avg(75_000)).toBe(3);
    expect(stat.max(75_000)).toBe(4);
    expect(stat.avg(200_000)).toBeNaN();
  });
});
