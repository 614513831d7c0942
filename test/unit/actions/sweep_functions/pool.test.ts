import { describe, expect, it } from "vitest";
import {
  BASE_BACKOFF_MS,
  MAX_THROTTLE_RETRIES,
  MAX_TRANSIENT_RETRIES,
  RATE_AFTER_THROTTLE,
  SweepPool,
} from "../../../../src/actions/sweep_functions/pool.js";
import { ConnectorError } from "../../../../src/errors.js";
import { fakeTime } from "../../../fixtures.js";

/** AWS's throttling, as the executor wraps it; `retryAfterSeconds` as the SDK reads the header. */
function throttled(retryAfterSeconds?: string): ConnectorError {
  return new ConnectorError("throttled", "throttled (test)", {
    hint: "Run fewer at once.",
    cause: Object.assign(new Error("Rate exceeded"), { retryAfterSeconds }),
  });
}

/** A task AWS throttles `times` times before it succeeds, and how often it was tried. */
function throttledTimes(times: number, retryAfterSeconds?: string) {
  let tries = 0;
  return {
    run: async () => {
      tries += 1;
      if (tries <= times) {
        throw throttled(retryAfterSeconds);
      }
    },
    tries: () => tries,
  };
}

/** A deadline that passes only when the test says so. */
function manualDeadline() {
  let pass = () => {};
  const promise = new Promise<void>((resolve) => {
    pass = resolve;
  });
  return { timer: () => ({ promise, cancel: () => {} }), pass: () => pass() };
}

function pool(concurrency: number, time = fakeTime(), deadline = manualDeadline()) {
  return {
    time,
    deadline,
    pool: new SweepPool({
      concurrency,
      now: time.now,
      sleep: time.sleep,
      deadlineAt: time.now() + 3_600_000,
      timer: deadline.timer,
    }),
  };
}

describe("SweepPool", () => {
  it("never runs more tasks at once than its concurrency, and runs every one", async () => {
    const { pool: sweep } = pool(3);
    let running = 0;
    let most = 0;
    const ran: number[] = [];
    for (let index = 0; index < 10; index++) {
      sweep.add(
        async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setImmediate(resolve));
          ran.push(index);
          running -= 1;
        },
        () => {},
      );
    }

    expect(await sweep.run()).toBe(0);
    expect(ran.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it("runs the tasks that tasks add", async () => {
    const { pool: sweep } = pool(2);
    const ran: string[] = [];
    sweep.add(
      async () => {
        ran.push("list");
        for (const name of ["a", "b", "c"]) {
          sweep.add(
            async () => {
              ran.push(name);
            },
            () => {},
          );
        }
      },
      () => {},
    );

    await sweep.run();

    expect(ran).toEqual(["list", "a", "b", "c"]);
  });

  it("backs off for every task of the scope on throttling: one pause as AWS asked, half the width, the task sent again", async () => {
    const { pool: sweep, time } = pool(8);
    const task = throttledTimes(1, "2");
    sweep.add(task.run, () => {});

    await sweep.run();

    expect(task.tries()).toBe(2);
    expect(time.waits).toEqual([2000]);
    expect(sweep.stats).toMatchObject({ throttle_retries: 1, narrowest_concurrency: 4 });
  });

  it("doubles the pause while throttling goes on when AWS names no wait", async () => {
    const { pool: sweep, time } = pool(4);
    sweep.add(throttledTimes(3).run, () => {});

    await sweep.run();

    expect(time.waits).toEqual([BASE_BACKOFF_MS, BASE_BACKOFF_MS * 2, BASE_BACKOFF_MS * 4]);
    expect(sweep.stats.narrowest_concurrency).toBe(1);
  });

  it("gives a task up after the last back-off and hands its error on", async () => {
    const { pool: sweep } = pool(2);
    const given: unknown[] = [];
    sweep.add(
      () => Promise.reject(throttled("0")),
      (error) => given.push(error),
    );

    await sweep.run();

    expect(given).toHaveLength(1);
    expect((given[0] as ConnectorError).code).toBe("throttled");
    expect(sweep.stats).toMatchObject({
      throttle_retries: MAX_THROTTLE_RETRIES,
      throttle_give_ups: 1,
    });
  });

  it("hands any other failure on at once, without retrying it", async () => {
    const { pool: sweep, time } = pool(2);
    let tries = 0;
    const given: unknown[] = [];
    sweep.add(
      async () => {
        tries += 1;
        throw new ConnectorError("access_denied", "denied (test)", { hint: "Grant it." });
      },
      (error) => given.push(error),
    );

    await sweep.run();

    expect(tries).toBe(1);
    expect(given).toHaveLength(1);
    expect(time.waits).toEqual([]);
  });

  it("sends a task that failed on the way again, twice at most, without pausing the pool", async () => {
    const { pool: sweep, time } = pool(2);
    let tries = 0;
    const given: unknown[] = [];
    const unavailable = () =>
      new ConnectorError("aws_error", "503 (test)", { hint: "Retry.", httpStatus: 503 });
    sweep.add(
      async () => {
        tries += 1;
        throw unavailable();
      },
      (error) => given.push(error),
    );
    let recovered = 0;
    sweep.add(
      async () => {
        recovered += 1;
        if (recovered === 1) {
          throw new ConnectorError("network_error", "reset (test)", { hint: "Retry." });
        }
      },
      (error) => given.push(error),
    );

    await sweep.run();

    expect(tries).toBe(1 + MAX_TRANSIENT_RETRIES);
    expect(recovered).toBe(2);
    expect(given).toHaveLength(1);
    expect(time.waits).toEqual([]);
  });

  it("stops at the deadline and says how many tasks it left", async () => {
    const { pool: sweep, deadline } = pool(2);
    const never = () => new Promise<void>(() => {});
    for (let index = 0; index < 5; index++) {
      sweep.add(never, () => {});
    }

    const outcome = sweep.run();
    deadline.pass();

    expect(await outcome).toBe(5);
    expect(sweep.stats.deadline_reached).toBe(true);
  });

  it("starts nothing once its clock is past the deadline", async () => {
    const time = fakeTime();
    const sweep = new SweepPool({
      concurrency: 2,
      now: time.now,
      sleep: time.sleep,
      deadlineAt: time.now() + 1000,
      timer: manualDeadline().timer,
    });
    let started = 0;
    sweep.add(
      async () => {
        started += 1;
        // A back-off longer than what is left of the sweep.
        throw throttled("5");
      },
      () => {},
    );

    await sweep.run();

    expect(started).toBe(1);
    expect(sweep.stats.deadline_reached).toBe(true);
  });

  it("goes round the scopes, so that each region's share of the quota is kept busy", async () => {
    const { pool: sweep } = pool(1);
    const ran: string[] = [];
    const task = (name: string) => async () => {
      ran.push(name);
    };
    for (const name of ["a1", "a2", "a3"]) {
      sweep.add(task(name), () => {}, "us-east-1");
    }
    for (const name of ["b1", "b2"]) {
      sweep.add(task(name), () => {}, "us-west-2");
    }

    await sweep.run();

    expect(ran).toEqual(["a1", "b1", "a2", "b2", "a3"]);
  });

  it("pauses only the scope AWS throttled: the other regions go on meanwhile", async () => {
    const { pool: sweep, time } = pool(1);
    const ran: string[] = [];
    const throttledOnce = throttledTimes(1, "2");
    sweep.add(
      async () => {
        ran.push(`a@${time.now() - start}`);
        await throttledOnce.run();
      },
      () => {},
      "us-east-1",
    );
    for (const name of ["b1", "b2"]) {
      sweep.add(
        async () => {
          ran.push(`${name}@${time.now() - start}`);
        },
        () => {},
        "us-west-2",
      );
    }
    const start = time.now();

    await sweep.run();

    expect(ran).toEqual(["a@0", "b1@0", "b2@0", "a@2000"]);
    expect(time.waits).toEqual([2000]);
  });

  it("after a throttle, paces the scope's starts below the rate AWS refused", async () => {
    const { pool: sweep, time } = pool(1);
    const starts: number[] = [];
    const throttledOnce = throttledTimes(1, "1");
    const start = time.now();
    sweep.add(
      async () => {
        starts.push(time.now() - start);
        await throttledOnce.run();
      },
      () => {},
    );
    for (let index = 0; index < 4; index++) {
      sweep.add(
        async () => {
          starts.push(time.now() - start);
        },
        () => {},
      );
    }

    await sweep.run();

    // One start within the shortest window (100 ms) is 10 a second; the pace is under it.
    const gap = 1000 / (10 * RATE_AFTER_THROTTLE);
    expect(starts).toEqual([0, 1000, 1000 + gap, 1000 + 2 * gap, 1000 + 3 * gap, 1000 + 4 * gap]);
  });

  it("quickens the pace back while AWS no longer throttles", async () => {
    const { pool: sweep, time } = pool(1);
    const starts: number[] = [];
    const throttledOnce = throttledTimes(1, "1");
    sweep.add(throttledOnce.run, () => {});
    for (let index = 0; index < 40; index++) {
      sweep.add(
        async () => {
          starts.push(time.now());
        },
        () => {},
      );
    }

    await sweep.run();

    const gaps = starts.slice(1).map((at, index) => at - (starts[index] ?? at));
    const first = gaps[0] ?? 0;
    const last = gaps.at(-1) ?? 0;
    expect(first).toBe(1000 / (10 * RATE_AFTER_THROTTLE));
    expect(last).toBeLessThan(first);
  });
});
