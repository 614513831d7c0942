import { afterEach, describe, expect, it, vi } from "vitest";
import { warmUp } from "../../src/warmUp.js";

/** The code-cache writer's warm-up: a whole invoke against its own loopback server. */
describe("warmUp", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("runs invoke_function to its output line, past a proxy set in the environment", async () => {
    // Prepare: a proxy that does not exist; the warm-up's server is its own, so it is set aside.
    vi.stubEnv("HTTPS_PROXY", "http://127.0.0.1:9");
    vi.stubEnv("HTTP_PROXY", "http://127.0.0.1:9");

    // Act
    const run = await warmUp();

    // Assess: the role assumed and the function invoked, through the real HTTP handler.
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout.replace("::set-output ", ""))).toMatchObject({
      status_code: 200,
      payload: { warm: true },
    });
    expect(process.env.HTTPS_PROXY).toBe("http://127.0.0.1:9");
    expect(process.env.HTTP_PROXY).toBe("http://127.0.0.1:9");
  });

  it("fails when its run fails, so that no cache misses the invoke's path", async () => {
    vi.stubEnv("AWS_CA_BUNDLE", "/nonexistent/warm-up-ca.pem");

    await expect(warmUp()).rejects.toThrow(/the warm-up run failed: .*network_error/);
  });
});
