import { describe, expect, it } from "vitest";
import {
  FIRST_PAUSE_MS,
  MAX_PAUSE_MS,
  SharedBackoff,
} from "../../../../src/actions/invoke_function_batch/SharedBackoff.js";

/** A clock of the test's own: a pause passes at once and moves the time on. */
function fakeClock() {
  const clock = {
    time: 1_000_000,
    pauses: [] as number[],
    now: () => clock.time,
    sleep: (ms: number) => {
      clock.pauses.push(ms);
      clock.time += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

const FAR = Number.MAX_SAFE_INTEGER;

describe("SharedBackoff", () => {
  it("lets as many calls in flight as it has slots, and the next one waits for a release", async () => {
    // Prepare
    const backoff = new SharedBackoff(2, fakeClock());
    await backoff.acquire(FAR);
    await backoff.acquire(FAR);

    // Act
    let third = false;
    const waiting = backoff.acquire(FAR).then((admitted) => {
      third = admitted;
    });
    await Promise.resolve();
    const beforeRelease = third;
    backoff.release();
    await waiting;

    // Assess
    expect(beforeRelease).toBe(false);
    expect(third).toBe(true);
    expect(backoff.inFlight).toBe(2);
  });

  it("halves the calls in flight on a throttle and pauses every start for Retry-After", async () => {
    const clock = fakeClock();
    const backoff = new SharedBackoff(16, clock);

    backoff.throttled(2_000);
    const admitted = await backoff.acquire(FAR);

    expect(backoff.limit).toBe(8);
    expect(clock.pauses).toEqual([2_000]);
    expect(admitted).toBe(true);
  });

  it("doubles its own pause for throttles in a row without Retry-After, up to its cap", async () => {
    const clock = fakeClock();
    const backoff = new SharedBackoff(4, clock);

    for (let i = 0; i < 12; i++) {
      backoff.throttled(undefined);
      await backoff.acquire(FAR);
      backoff.release();
    }

    expect(clock.pauses.slice(0, 3)).toEqual([
      FIRST_PAUSE_MS,
      FIRST_PAUSE_MS * 2,
      FIRST_PAUSE_MS * 4,
    ]);
    expect(Math.max(...clock.pauses)).toBe(MAX_PAUSE_MS);
    expect(backoff.limit).toBe(1);
  });

  it("gives one slot back per limit successes, up to the slots it has", () => {
    // Prepare: two throttles take 4 slots down to 1.
    const backoff = new SharedBackoff(4, fakeClock());
    backoff.throttled(0);
    backoff.throttled(0);

    const limits: number[] = [];
    for (let i = 0; i < 12; i++) {
      backoff.succeeded();
      limits.push(backoff.limit);
    }

    expect(limits).toEqual([2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4]);
  });

  it("admits nothing after the deadline, and never pauses past it", async () => {
    const clock = fakeClock();
    const backoff = new SharedBackoff(2, clock);
    backoff.throttled(60_000);

    const admitted = await backoff.acquire(clock.time + 5_000);

    expect(admitted).toBe(false);
    expect(clock.pauses).toEqual([5_000]);
  });

  it("lets every waiting worker go when it closes", async () => {
    const backoff = new SharedBackoff(1, fakeClock());
    await backoff.acquire(FAR);
    const waiting = [backoff.acquire(FAR), backoff.acquire(FAR)];

    backoff.close();

    expect(await Promise.all(waiting)).toEqual([false, false]);
  });
});
