/**
 * src/artifacts/yaml-emit.ts: what it writes must read back as exactly the value it was given, in a YAML 1.1 reader
 * (PyYAML, as in cfn-lint and the aws CLI; both its pure-Python and its libyaml loader) and in YAML 1.2 readers (the
 * `yaml` package, as 1.1 and as 1.2). Checked over every deployment variant's stack and workflow and over random
 * documents full of strings that some reader would take for something else.
 *
 * PyYAML runs once, in one python3 process, for every document of this file (each start costs ~100 ms). python3 with
 * PyYAML is on every machine that runs the tests (cfn-lint needs it; .ci/run checks for it).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import YAML from "yaml";
import { buildDeployDocuments, DEPLOY_PATHS } from "../../src/artifacts/deploy.js";
import { buildStack } from "../../src/artifacts/stack.js";
import { buildDeployWorkflow } from "../../src/artifacts/workflow.js";
import { toYaml, type YamlPath } from "../../src/artifacts/yaml-emit.js";
import { allVariants, contextFor } from "../aws/variants.js";

// --- the readers --------------------------------------------------------------------------------------------------

/** The `yaml` package as a 1.1 or a 1.2 reader; errors and warnings both fail. */
function readYaml(text: string, version: "1.1" | "1.2"): unknown {
  const doc = YAML.parseDocument(text, { version });
  if (doc.errors.length || doc.warnings.length) throw new Error([...doc.errors, ...doc.warnings].map((e) => e.message).join("\n"));
  return doc.toJS();
}

const PYTHON = `
import json, sys, yaml
loaders = [("SafeLoader", yaml.SafeLoader)] + ([("CSafeLoader", yaml.CSafeLoader)] if hasattr(yaml, "CSafeLoader") else [])
out = []
for text in json.load(sys.stdin):
    r = {}
    for name, loader in loaders:
        try:
            r[name] = {"value": yaml.load(text, Loader=loader)}
        except Exception as e:
            r[name] = {"error": type(e).__name__ + ": " + str(e)}
    out.append(r)
# Anything JSON cannot hold (a date, a set) shows up in the comparison instead of crashing the dump.
json.dump(out, sys.stdout, default=lambda o: {"python": repr(o)})
`;

type PyResult = Record<string, { value?: unknown; error?: string }>;

/** Every text through PyYAML in one process: per text, per loader, the value or the error. */
function readPyYaml(texts: string[]): PyResult[] {
  const run = spawnSync("python3", ["-c", PYTHON], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 with PyYAML failed (status ${run.status}): ${run.error?.message ?? ""} ${run.stderr}`);
  const results = JSON.parse(run.stdout) as PyResult[];
  expect(results).toHaveLength(texts.length);
  return results;
}

/** What a reader should return: the value as JSON has it (undefined map values left out). */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function expectReadBack(text: string, value: unknown, py: PyResult, label: string): void {
  const want = asJson(value);
  const where = `${label}\n--- YAML ---\n${text}`;
  expect(readYaml(text, "1.1"), `yaml@1.1: ${where}`).toEqual(want);
  expect(readYaml(text, "1.2"), `yaml@1.2: ${where}`).toEqual(want);
  for (const [loader, r] of Object.entries(py)) {
    expect(r.error, `PyYAML ${loader}: ${where}`).toBeUndefined();
    expect(r.value, `PyYAML ${loader}: ${where}`).toEqual(want);
  }
  expect(Object.keys(py).length).toBeGreaterThan(0);
}

// --- random documents ---------------------------------------------------------------------------------------------

/** mulberry32: the same documents on every run (the seed is in the failure message). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings that YAML 1.1 or 1.2 reads as something else, or that break a plain or block scalar. */
const NASTY = [
  "", " ", "  ", "y", "Y", "n", "N", "yes", "Yes", "YES", "yEs", "no", "No", "NO", "on", "On", "ON", "oN", "off", "Off", "OFF",
  "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "null", "Null", "NULL", "nUll", "~", "<<", "=",
  "0", "1", "-1", "+1", "007", "0.5", ".5", "-.5", "+.5", "1.", "1e3", "1E3", "1e+3", "1.0e+3", "-1.5E-7", "0x1F", "0X1f", "0o17",
  "0b101", "+0b1", "1_000", "1_0.5", "12:30", "-12:30:59", "190:20:30.15", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
  "2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43Z", "2001-1-1", ".inf", "-.inf", "+.INF", ".Inf", ".nan", ".NaN", ".NAN",
  ".", "+.", "-.", "..", "+", "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", '"', "%", "@", "`",
  "---", "...", "--- x", "... x", "a: b", "a:", "a #b", "a#b", "a:b", "key: value # c", "- item", "-item", "? x", "?x", ": x", ":x",
  "{a: 1}", "[1, 2]", "a, b", "!!str x", "!tag", "&anchor", "*alias", "%YAML 1.2", "@x", "`x", "|x", ">x", "'x'", '"x"',
  "25m", "0.0.0.0/0", "123-svc", "2010-09-09", "2012-10-17", "v1.2.3", "1.2.3", "1.2.3.4", "127.0.0.1:4318", "arn:aws:iam::123:role/x",
  "${{ github.sha }}", "${AWS::Region}", "ns-…", "ünïcödé", "日本語", "🚀", "é", "\u00a0nbsp", "x\u00a0", "\u3000",
  "a\\b", "\\n", "\\", '\\"', "\"quoted\"", "'single'", "it's", "tab\there", "\ttab", "tab\t", "trail ", " lead", " both ",
  "\u0085", "a\u0085b", "\u2028", "a\u2029b", "\ufeff", "\ufeffbom", "\u007f", "\u0000", "\u001b[0m", "\u0080", "\u009f", "\ufffe",
  "\r", "\r\n", "a\rb", "a\r\nb", "\n", "\n\n", "line1\nline2", "line1\nline2\n", "line1\nline2\n\n", "\nleading", "  indented\nx",
  "x\n  y\n", "x\n\ny\n", "x \ny", "x\n \n", "x\n\ty\n", "#!/bin/sh\necho hi\n", "---\nx\n", "x\n---\n...\n", "- a\n- b\n",
  "a: 1\nb: 2", "|\n  x", "x\n# not a comment\n", "x\n\u2028y\n", "if x; then\n  echo \"$Y\" # c\nfi\n",
];

const CHARS = ["a", "Z", "0", "9", " ", "-", ":", "#", ".", "_", "/", "'", '"', "\\", "\n", "\t", "é", "€", "🚀", "\u00a0", "&", "*", "!", "%", "@", "`", "?", ",", "{", "]", "|", ">", "~", "=", "<", "$"];

function randomString(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const roll = r();
  if (roll < 0.45) return pick(NASTY);
  if (roll < 0.75) return Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(NASTY)).join(pick(["", " ", "\n", ": ", " #", "-", "."]));
  return Array.from({ length: Math.floor(r() * 12) }, () => pick(CHARS)).join("");
}

const NUMBERS = [0, 1, -1, 42, 8080, -273, 0.5, -0.25, 3.14159, 1e21, -1e21, 5e-7, 1.5e-7, 1.7976931348623157e308, 5e-324, 123456789012345680000, 2 ** 53, 1e15 + 0.5];

interface Random {
  value: unknown;
  /** Every node's path (root excluded). */
  paths: YamlPath[];
}

function randomValue(r: () => number, depth = 0, path: YamlPath = [], paths: YamlPath[] = []): Random {
  const roll = r();
  let value: unknown;
  if (depth >= 4 || roll < 0.45) {
    const s = r();
    value = s < 0.7 ? randomString(r) : s < 0.85 ? NUMBERS[Math.floor(r() * NUMBERS.length)] : s < 0.95 ? r() < 0.5 : null;
  } else if (roll < 0.75) {
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(r() * 5); i > 0; i--) {
      const key = r() < 0.6 ? randomString(r) : `k${i}`;
      if (key in o) continue;
      const p = [...path, key];
      paths.push(p);
      o[key] = randomValue(r, depth + 1, p, paths).value;
    }
    value = o;
  } else {
    value = Array.from({ length: Math.floor(r() * 4) }, (_, i) => {
      const p = [...path, i];
      paths.push(p);
      return randomValue(r, depth + 1, p, paths).value;
    });
  }
  return { value, paths };
}

const COMMENTS = ["a comment", "two\nlines", 'quotes "x" and \'y\', # and : and - and |', "", "ends with a space ", "  indented", "…ünï 🚀", "\n"];

interface Case {
  label: string;
  value: unknown;
  text: string;
}

function fuzzCases(seed: number, count: number): Case[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const { value, paths } = randomValue(r);
    const comments: Array<[YamlPath, string]> = [];
    for (const p of paths) if (r() < 0.2) comments.push([p, COMMENTS[Math.floor(r() * COMMENTS.length)]!]);
    const header = r() < 0.5 ? COMMENTS[Math.floor(r() * COMMENTS.length)] : undefined;
    return { label: `fuzz seed ${seed} #${i}: ${JSON.stringify({ value, comments, header })}`, value, text: toYaml(value, { header, comments }) };
  });
}

// --- the cases, and one PyYAML run for all of them ----------------------------------------------------------------

const VARIANT_CASES: Case[] = allVariants().flatMap((v, i) => {
  const ctx = contextFor(v, i);
  const files = Object.fromEntries(buildDeployDocuments(ctx).map((f) => [f.path, f.content]));
  return [
    { label: `${v.id} ${DEPLOY_PATHS.stack}`, value: buildStack(ctx), text: files[DEPLOY_PATHS.stack]! },
    { label: `${v.id} ${DEPLOY_PATHS.workflow}`, value: buildDeployWorkflow(ctx), text: files[DEPLOY_PATHS.workflow]! },
  ];
});

/** Every string of NASTY as a value and as a key, in a map and in a sequence, each in a document of its own. */
const NASTY_CASES: Case[] = NASTY.flatMap((s, i) =>
  [{ [s]: s, k: [s, { [s]: [s] }] }, [s], s].map((value, j) => ({ label: `NASTY[${i}] form ${j}: ${JSON.stringify(s)}`, value, text: toYaml(value) })),
);

const SEEDS = [1, 2, 3, 4, 5];
const FUZZ_CASES: Case[] = SEEDS.flatMap((seed) => fuzzCases(seed, 120));

const ALL = [...VARIANT_CASES, ...NASTY_CASES, ...FUZZ_CASES];
let py: PyResult[];
beforeAll(() => {
  py = readPyYaml(ALL.map((c) => c.text));
}, 60_000);
const pyFor = (c: Case): PyResult => py[ALL.indexOf(c)]!;

describe("every deployment variant's YAML reads back as the object it was written from", () => {
  it("covers all 38 variants, stack and workflow", () => {
    expect(VARIANT_CASES).toHaveLength(2 * allVariants().length);
    expect(allVariants()).toHaveLength(38);
  });

  it.each(VARIANT_CASES.map((c) => [c.label, c] as const))("%s: yaml@1.1, yaml@1.2, PyYAML", (label, c) => {
    expectReadBack(c.text, c.value, pyFor(c), label);
  });

  it("is what the yaml library wrote (YAML 1.1 Document, lineWidth 0), byte for byte, without the comments", () => {
    for (const c of VARIANT_CASES) {
      const library = new YAML.Document(c.value, { version: "1.1", aliasDuplicateObjects: false }).toString({ lineWidth: 0 });
      expect(toYaml(c.value), c.label).toBe(library);
    }
  });
});

describe("strings some YAML reader would take for something else", () => {
  it("read back unchanged as values and keys, in maps and sequences (yaml@1.1, yaml@1.2, PyYAML)", () => {
    for (const c of NASTY_CASES) expectReadBack(c.text, c.value, pyFor(c), c.label);
  });

  it.each([
    ["y"], ["N"], ["yes"], ["No"], ["on"], ["OFF"], ["oN"], ["true"], ["FALSE"], ["null"], ["nUll"], ["~"], [""], ["<<"], ["="],
    ["0"], ["-1"], ["+1"], ["017"], ["0o17"], ["0x1F"], ["0b101"], ["1_000"], ["1e3"], ["1."], [".5"], ["12:30"], ["2001-12-14"],
    ["2001-12-14 21:59:43.10 -5"], [".inf"], ["-.Inf"], [".NaN"], ["."], ["-"], ["-x"], ["?x"], [":x"], ["#x"], ["*x"], ["&x"], ["!x"],
    ["|x"], [">x"], ["'x"], ['"x'], ["%x"], ["@x"], ["`x"], [",x"], ["[x"], ["{x"], [" x"], ["x "], ["a: b"], ["a #b"], ["a:"],
    ["---"], ["..."], ["a\tb"], ["a\u0085b"], ["a\u2028b"], ["\ufeffx"], ["a\u007fb"],
  ])("%j is double-quoted", (s) => {
    expect(toYaml({ k: s })).toBe(`k: ${toYaml(s).trimEnd()}\n`);
    expect(toYaml(s).startsWith('"')).toBe(true);
  });

  it.each([["25m"], ["0.0.0.0/0"], ["123-svc"], ["v1.2.3"], ["a#b"], ["a:b"], ["arn:aws:iam::123:role/x"], ["ns-…"], ["${{ github.sha }}"], ["List<AWS::EC2::Subnet::Id>"], ["^(\\d{1,3}\\.){3}$"], ["ünï 🚀"], [".git"]])(
    "%j stays plain",
    (s) => {
      expect(toYaml({ k: s })).toBe(`k: ${s}\n`);
    },
  );

  it("quotes as JSON does, plus \\u escapes for what YAML does not accept raw (DEL, C1, NEL, LS, PS, BOM)", () => {
    expect(toYaml('say "hi" \\ \u0000\u001b\t')).toBe('"say \\"hi\\" \\\\ \\u0000\\u001b\\t"\n');
    expect(toYaml("\u007f\u0085\u009f\u2028\u2029\ufeff\ufffe")).toBe('"\\u007f\\u0085\\u009f\\u2028\\u2029\\ufeff\\ufffe"\n');
  });

  it('quotes keys by the same rules: GitHub\'s "on" key is "on"', () => {
    expect(toYaml({ on: { push: {} }, name: "x", "1": 1, "a: b": 2 })).toBe('"1": 1\n"on":\n  push: {}\nname: x\n"a: b": 2\n');
  });
});

describe("layout", () => {
  it("writes block style, sequences indented under their key, empty collections as {} and []", () => {
    const value = { a: { b: [1, "two", true, null, { c: [], d: {} }, [3, [4]]] }, e: [] };
    expect(toYaml(value)).toBe(
      ["a:", "  b:", "    - 1", "    - two", "    - true", "    - null", "    - c: []", "      d: {}", "    - - 3", "      - - 4", "e: []", ""].join("\n"),
    );
    expect(toYaml({})).toBe("{}\n");
    expect(toYaml([])).toBe("[]\n");
  });

  it("writes numbers so YAML 1.1 reads them as numbers too (an exponent needs a dot there)", () => {
    expect(toYaml([1e21, 5e-7, 1.5e-7, -2.5, 8080])).toBe("- 1.0e+21\n- 5.0e-7\n- 1.5e-7\n- -2.5\n- 8080\n");
  });

  it("writes multi-line strings as literal blocks (| with one final newline, |- without, |+ with more), never folded", () => {
    const long = "x".repeat(300);
    expect(toYaml({ run: "a\n  b\n", s: ["c\n\nd", "e\n\n"], long })).toBe(
      `run: |\n  a\n    b\ns:\n  - |-\n    c\n\n    d\n  - |+\n    e\n\nlong: ${long}\n`,
    );
  });

  it("falls back to double quotes where a block scalar would be ambiguous or lossy", () => {
    for (const s of [" lead\nx\n", "\nfirst empty", "\n\n", "trailing \nspace", "tab\n\tx", "cr\r\nlf", "ls\u2028x\n"]) {
      expect(toYaml({ k: s }), JSON.stringify(s)).toBe(`k: ${JSON.stringify(s).replace(/\u2028/g, "\\u2028")}\n`);
    }
  });

  it("puts the header first, then an empty line; comments before a map value after its key, before a sequence item", () => {
    const value = { Parameters: { P: { Type: "String" } }, S: [{ Sid: "a" }, { Sid: "b" }], scalar: "v", nested: [["x"]] };
    const text = toYaml(value, {
      header: "line one\n\nline three",
      comments: [
        [["Parameters", "P"], "about P\nsecond line"],
        [["S", 1], "about b"],
        [["scalar"], "about v"],
        [["nested", 0, 0], "about x"],
      ],
    });
    expect(text).toBe(
      [
        "# line one",
        "#",
        "# line three",
        "",
        "Parameters:",
        "  P:",
        "    # about P",
        "    # second line",
        "    Type: String",
        "S:",
        "  - Sid: a",
        "  # about b",
        "  - Sid: b",
        "scalar:",
        "  # about v",
        "  v",
        "nested:",
        "  -",
        "    # about x",
        "    - x",
        "",
      ].join("\n"),
    );
    expect(readYaml(text, "1.2")).toEqual(value);
  });

  it("refuses what it cannot write faithfully", () => {
    expect(() => toYaml({ a: 1 }, { comments: [[["b"], "x"]] })).toThrow("internal: no YAML node at b");
    expect(() => toYaml({ a: [1] }, { comments: [[["a", 1], "x"]] })).toThrow("internal: no YAML node at a.1");
    expect(() => toYaml({ a: [1] }, { comments: [[["a", -1], "x"]] })).toThrow("no YAML node");
    expect(() => toYaml({ a: NaN })).toThrow("cannot write NaN");
    expect(() => toYaml({ a: Infinity })).toThrow("cannot write Infinity");
    expect(() => toYaml([undefined])).toThrow("undefined");
    expect(() => toYaml({ d: new Date(0) })).toThrow("Date");
    expect(() => toYaml({ n: 1n })).toThrow();
    expect(() => toYaml({ ["k".repeat(1001)]: 1 })).toThrow("longer than 1000");
    expect(() => toYaml({}, { header: "bad\u0000comment" })).toThrow("printable");
    expect(toYaml({ a: undefined, b: 1 })).toBe("b: 1\n");
  });
});

describe("random documents with nasty strings, numbers, comments and a header", () => {
  it.each(SEEDS.map((seed) => [seed]))("seed %i: read back unchanged (yaml@1.1, yaml@1.2, PyYAML)", (seed) => {
    const cases = FUZZ_CASES.filter((c) => c.label.startsWith(`fuzz seed ${seed} `));
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expectReadBack(c.text, c.value, pyFor(c), c.label);
  });
});
