import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { SweepFinding } from "../../../../src/actions/sweep_functions/output.js";
import {
  countFindings,
  findingsCsv,
  rankFindings,
  storeReport,
} from "../../../../src/actions/sweep_functions/report.js";

function finding(
  severity: SweepFinding["severity"],
  where: { account_id?: string; region?: string; function_name?: string } = {},
): Omit<SweepFinding, "rank"> {
  const account = where.account_id ?? "123456789012";
  const region = where.region ?? "us-east-1";
  const name = where.function_name ?? "fn";
  const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
  return {
    severity,
    check: "exposure",
    account_id: account,
    region,
    function_name: name,
    function_arn: arn,
    kind: "resource_policy",
    qualifier: null,
    what: "Statement open allows anyone to call lambda:InvokeFunction.",
    why: "Principal *.",
    containment: {
      action: "remove_permission",
      inputs: { function_name: arn, statement_id: "open" },
      asset: { region_name: region, role_arn: null },
    },
    remedy: null,
  };
}

describe("rankFindings", () => {
  it("ranks by severity, then account, region and function", () => {
    const ranked = rankFindings([
      finding("info", { function_name: "a" }),
      finding("high", { region: "us-west-2" }),
      finding("medium"),
      finding("high", { account_id: "000000000001", region: "us-west-2" }),
      finding("high", { region: "eu-west-1" }),
    ]);

    expect(ranked.map((f) => [f.rank, f.severity, f.account_id, f.region])).toEqual([
      [1, "high", "000000000001", "us-west-2"],
      [2, "high", "123456789012", "eu-west-1"],
      [3, "high", "123456789012", "us-west-2"],
      [4, "medium", "123456789012", "us-east-1"],
      [5, "info", "123456789012", "us-east-1"],
    ]);
  });
});

describe("countFindings", () => {
  it("counts by severity, account and region, with a row for every place checked even without findings", () => {
    const ranked = rankFindings([
      finding("high"),
      finding("high", { region: "eu-west-1" }),
      finding("info"),
    ]);

    const counts = countFindings(ranked, [
      { account_id: "123456789012", region: "us-east-1" },
      { account_id: "123456789012", region: "eu-west-1" },
      { account_id: "210987654321", region: "ap-southeast-2" },
    ]);

    expect(counts.by_severity).toEqual({ critical: 0, high: 2, medium: 0, low: 0, info: 1 });
    expect(counts.accounts).toEqual([
      {
        account_id: "123456789012",
        functions: 2,
        findings_by_severity: { critical: 0, high: 2, medium: 0, low: 0, info: 1 },
      },
      {
        account_id: "210987654321",
        functions: 1,
        findings_by_severity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      },
    ]);
    expect(
      counts.regions.map((row) => [row.region, row.functions, row.findings_by_severity.high]),
    ).toEqual([
      ["ap-southeast-2", 1, 0],
      ["eu-west-1", 1, 1],
      ["us-east-1", 1, 1],
    ]);
  });
});

describe("findingsCsv", () => {
  it("writes a header and one row a finding, quoting commas, quotes and line breaks", () => {
    const odd = { ...finding("high"), what: 'Statement "a,b"\nallows anyone.' };

    const csv = findingsCsv(rankFindings([odd]));

    const [header, row, end] = csv.split("\r\n");
    expect(header).toBe(
      "rank,severity,check,account_id,region,function_name,function_arn,kind,qualifier,what,why,containment_action,containment_inputs,remedy",
    );
    expect(row).toContain('"Statement ""a,b""\nallows anyone."');
    expect(row).toContain(
      `"{""function_name"":""arn:aws:lambda:us-east-1:123456789012:function:fn"",""statement_id"":""open""}"`,
    );
    expect(end).toBe("");
  });

  it("leaves the containment columns empty for a finding no action closes, and gives its remedy", () => {
    const secret = {
      ...finding("high"),
      check: "security" as const,
      kind: "secret_in_environment",
      containment: null,
      remedy: "Rotate it, then keep it in Secrets Manager.",
    };

    const row = findingsCsv(rankFindings([secret])).split("\r\n")[1] ?? "";

    expect(row.endsWith(',,,"Rotate it, then keep it in Secrets Manager."')).toBe(true);
    expect(row).toContain(",security,");
  });

  it("keeps a spreadsheet from running a field as a formula", () => {
    const hostile = { ...finding("high"), function_name: "=HYPERLINK(1)", why: "+1", what: "@x" };

    const row = findingsCsv(rankFindings([hostile])).split("\r\n")[1] ?? "";

    expect(row).toContain(",'=HYPERLINK(1),");
    expect(row).toContain(",'@x,'+1,");
  });
});

describe("storeReport", () => {
  const ranked = rankFindings(
    Array.from({ length: 40 }, (_, i) => finding("high", { function_name: `fn-${i}` })),
  );

  it("without the file API, says so and cuts the inline findings to the limit", async () => {
    // Room for exactly the first ten findings, in the JSON array they would make.
    const ten = ranked
      .slice(0, 10)
      .reduce((sum, f) => sum + Buffer.byteLength(JSON.stringify(f)) + 1, 2);

    const report = await storeReport({ findings: ranked }, ranked, {
      env: {},
      limitBytes: ten,
      stamp: "t",
    });

    expect(report).toMatchObject({
      file_api: false,
      json: null,
      csv: null,
      error: null,
      truncated: true,
    });
    expect(report.findings).toHaveLength(10);
    expect(report.findings?.[9]?.rank).toBe(10);
  });

  it("without the file API and a report that fits, keeps every finding and is not truncated", async () => {
    const report = await storeReport({}, ranked, { env: {}, limitBytes: 1024 * 1024, stamp: "t" });

    expect(report.findings).toHaveLength(40);
    expect(report.truncated).toBe(false);
  });

  it("with the file API, uploads the JSON and the CSV and returns their references", async () => {
    const uploads: { name: string; body: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const name = /filename="([^"]+)"/.exec(body)?.[1] ?? "";
        uploads.push({ name, body });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: `id-${uploads.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const report = await storeReport({ findings: ranked }, ranked, {
        env: { IPC_API_URI: `http://127.0.0.1:${port}`, IPC_API_TOKEN: "token" },
        limitBytes: 10_000,
        stamp: "2026-12-02T03-00-00-000Z",
      });

      expect(report).toEqual({
        file_api: true,
        json: { file: "id-1", file_name: "lambda-sweep-2026-12-02T03-00-00-000Z.json" },
        csv: { file: "id-2", file_name: "lambda-sweep-2026-12-02T03-00-00-000Z.csv" },
        error: null,
        findings: null,
        truncated: false,
      });
      expect(uploads[0]?.body).toContain('"function_name":"fn-39"');
      expect(uploads[1]?.body).toContain("rank,severity,check");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("when the file API fails, says why and falls back to the inline findings", async () => {
    const server = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const report = await storeReport({}, ranked, {
        env: { IPC_API_URI: `http://127.0.0.1:${port}`, IPC_API_TOKEN: "secret-token" },
        limitBytes: 1024 * 1024,
        stamp: "t",
      });

      expect(report.file_api).toBe(true);
      expect(report.error?.code).toBe("network_error");
      expect(JSON.stringify(report)).not.toContain("secret-token");
      expect(report.findings).toHaveLength(40);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
