// What every real-client script shares: its settings from the environment, a time limit, the recording fetch that
// validates every body the gateway sends, and the run that prints one JSON summary and exits non-zero on any failure.
//
//   LLMTR_BASE_URL  the gateway's address, without /v1 (each script adds it where its SDK expects it)
//   LLMTR_API_KEY   a funded key
//   LLMTR_MODEL     the model to ask, e.g. llmtr/demo or openai/gpt-4o
import { exchanges, mismatches, recordingFetch, settled, validated } from './schema.mjs';

// Every SDK below takes the global fetch when it builds its client (or when it sends): wrapping it observes them all
// without changing any of them.
globalThis.fetch = recordingFetch(globalThis.fetch.bind(globalThis));

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set: run this script with LLMTR_BASE_URL, LLMTR_API_KEY and LLMTR_MODEL.`);
    process.exit(2);
  }
  return value;
}

export const baseUrl = required('LLMTR_BASE_URL').replace(/\/+$/, '');
export const apiKey = required('LLMTR_API_KEY');
export const model = required('LLMTR_MODEL');

/** How long one request may take before the SDK gives up on it. */
export const requestTimeoutMs = Number(process.env.LLMTR_REQUEST_TIMEOUT_MS ?? 20_000);

/** A key in LLMTR's format that the gateway never issued. */
export const unknownKey = 'llmtr-' + 'k'.repeat(43);

export class CheckFailed extends Error {}

export function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

export function equal(actual, expected, what) {
  check(Object.is(actual, expected), `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Runs a call that must fail, and returns what it threw. */
export async function failure(call, what) {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new CheckFailed(`${what}: expected an error, but the call succeeded`);
}

/**
 * Runs the scenarios one after another (each returns what the summary should show of it), then prints
 * { client, model, ok, scenarios, validated, mismatches, exchanges } and exits 1 if a scenario failed or a body did
 * not match its schema.
 */
export async function run(client, scenarios) {
  const overall = Number(process.env.LLMTR_SCRIPT_TIMEOUT_MS ?? 90_000);
  setTimeout(() => {
    console.error(`${client}: gave up after ${overall} ms; the scenarios were still running.`);
    process.exit(3);
  }, overall).unref();

  const results = {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    try {
      results[name] = { ok: true, ...(await scenario()) };
    } catch (error) {
      results[name] = { ok: false, error: describe(error) };
      console.error(`${client} ${name} FAILED: ${describe(error)}`);
      if (!(error instanceof CheckFailed) && error?.stack) console.error(error.stack);
    }
  }

  await settled();
  for (const mismatch of mismatches) {
    console.error(`${client}: ${mismatch.where} does not match ${mismatch.schema}:\n  ${mismatch.errors.join('\n  ')}\n  value: ${mismatch.value}`);
  }

  const ok = Object.values(results).every((r) => r.ok) && mismatches.length === 0;
  console.log(JSON.stringify({ client, model, ok, scenarios: results, validated, mismatches, exchanges }, null, 2));
  process.exit(ok ? 0 : 1);
}

function describe(error) {
  if (error instanceof CheckFailed) return error.message;
  const status = error?.status ? ` (status ${error.status})` : '';
  return `${error?.constructor?.name ?? 'Error'}${status}: ${error?.message ?? String(error)}`;
}
