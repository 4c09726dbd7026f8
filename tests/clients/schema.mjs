// Validates what LLMTR sends a client against the wire format the client was written for: OpenAI's own OpenAPI
// document (a pruned, pinned copy in ./openapi) for the OpenAI-compatible endpoints, and a small hand-written
// description of Anthropic's Messages API shapes for /v1/messages.
//
// Every HTTP exchange a script makes goes through recordingFetch (installed as the global fetch by common.mjs, so every
// SDK is observed unmodified): the body is read from a clone of the response while the SDK reads the original, and each
// JSON body or server-sent event is checked by the endpoint it came from.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// A few schemas still say "nullable": true, OpenAPI 3.0's way (some beside a "$ref", which ajv's own support of the
// keyword refuses): each becomes "the schema, or null", as JSON Schema says it.
function withoutNullable(node) {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withoutNullable(value)]));
  if (copy.nullable !== true) return copy;
  const { nullable, description, ...schema } = copy;
  return { ...(description === undefined ? {} : { description }), anyOf: [schema, { type: 'null' }] };
}

const document = withoutNullable(JSON.parse(readFileSync(new URL('./openapi/openai-openapi.pruned.json', import.meta.url), 'utf8')));

// The document is OpenAPI 3.1 (JSON Schema 2020-12) with OpenAPI's own keywords (discriminator, x-stainless-const,
// x-oaiTypeLabel...): strict mode off so ajv ignores what it does not know instead of refusing the schema.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The document's own formats: a Unix time in seconds, and a number's precision (which says nothing of its validity).
ajv.addFormat('unixtime', { type: 'number', validate: (value) => Number.isInteger(value) && value >= 0 });
ajv.addFormat('float', { type: 'number', validate: () => true });
ajv.addSchema(document, 'openai');

// Anthropic's Messages API, as its documentation describes the parts a client reads.
const usage = {
  type: 'object',
  required: ['input_tokens', 'output_tokens'],
  properties: {
    input_tokens: { type: 'integer', minimum: 0 },
    output_tokens: { type: 'integer', minimum: 0 },
    cache_creation_input_tokens: { type: ['integer', 'null'], minimum: 0 },
    cache_read_input_tokens: { type: ['integer', 'null'], minimum: 0 },
  },
};
const contentBlock = {
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  oneOf: [
    { properties: { type: { const: 'text' }, text: { type: 'string' } }, required: ['text'] },
    {
      properties: { type: { const: 'tool_use' }, id: { type: 'string' }, name: { type: 'string' }, input: { type: 'object' } },
      required: ['id', 'name', 'input'],
    },
    { properties: { type: { const: 'thinking' }, thinking: { type: 'string' } }, required: ['thinking'] },
  ],
};
const stopReason = { enum: ['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', null] };
const message = {
  type: 'object',
  required: ['id', 'type', 'role', 'content', 'model', 'stop_reason', 'usage'],
  properties: {
    id: { type: 'string', minLength: 1 },
    type: { const: 'message' },
    role: { const: 'assistant' },
    content: { type: 'array', items: contentBlock },
    model: { type: 'string', minLength: 1 },
    stop_reason: stopReason,
    stop_sequence: { type: ['string', 'null'] },
    usage,
  },
};
const anthropic = {
  AnthropicMessage: message,
  AnthropicError: {
    type: 'object',
    required: ['type', 'error'],
    properties: {
      type: { const: 'error' },
      error: { type: 'object', required: ['type', 'message'], properties: { type: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  AnthropicStreamEvent: {
    type: 'object',
    required: ['type'],
    oneOf: [
      { properties: { type: { const: 'message_start' }, message: { ...message, properties: { ...message.properties, content: { type: 'array', maxItems: 0 } } } }, required: ['message'] },
      { properties: { type: { const: 'content_block_start' }, index: { type: 'integer' }, content_block: contentBlock }, required: ['index', 'content_block'] },
      {
        properties: {
          type: { const: 'content_block_delta' },
          index: { type: 'integer' },
          delta: {
            type: 'object',
            oneOf: [
              { properties: { type: { const: 'text_delta' }, text: { type: 'string' } }, required: ['type', 'text'] },
              { properties: { type: { const: 'input_json_delta' }, partial_json: { type: 'string' } }, required: ['type', 'partial_json'] },
              { properties: { type: { const: 'thinking_delta' }, thinking: { type: 'string' } }, required: ['type', 'thinking'] },
              { properties: { type: { const: 'signature_delta' }, signature: { type: 'string' } }, required: ['type', 'signature'] },
            ],
          },
        },
        required: ['index', 'delta'],
      },
      { properties: { type: { const: 'content_block_stop' }, index: { type: 'integer' } }, required: ['index'] },
      {
        properties: {
          type: { const: 'message_delta' },
          delta: { type: 'object', required: ['stop_reason'], properties: { stop_reason: stopReason } },
          usage: { type: 'object', required: ['output_tokens'], properties: { output_tokens: { type: 'integer', minimum: 0 } } },
        },
        required: ['delta', 'usage'],
      },
      { properties: { type: { const: 'message_stop' } } },
      { properties: { type: { const: 'ping' } } },
      { properties: { type: { const: 'error' }, error: { type: 'object', required: ['type', 'message'] } }, required: ['error'] },
    ],
  },
};
for (const [name, schema] of Object.entries(anthropic)) {
  ajv.addSchema(schema, name);
}

const compiled = new Map();
function validatorFor(name) {
  if (!compiled.has(name)) {
    compiled.set(name, ajv.getSchema(name in anthropic ? name : `openai#/components/schemas/${name}`)
      ?? (() => { throw new Error(`No schema named ${name}.`); })());
  }
  return compiled.get(name);
}

// A Responses stream event is checked against the one member of ResponseStreamEvent's union its "type" names, so a
// mismatch reports that event's errors rather than those of all sixty alternatives.
const responseEventSchemas = new Map(document.components.schemas.ResponseStreamEvent.anyOf.map(({ $ref }) => {
  const name = $ref.split('/').pop();
  return [document.components.schemas[name].properties.type.enum[0], name];
}));

/** How many bodies and events were validated against each schema. */
export const validated = {};

/** What did not match its schema: which schema, where it came from, ajv's errors and the start of the value. */
export const mismatches = [];

/** The exchanges observed: method, path, status and (for streams) the number of events. */
export const exchanges = [];

/** Validates a value against a schema of the pruned OpenAI document or of the Anthropic shapes above. */
export function validate(name, value, where) {
  const check = validatorFor(name);
  validated[name] = (validated[name] ?? 0) + 1;
  if (!check(value)) {
    mismatches.push({
      schema: name,
      where,
      errors: check.errors.slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`),
      value: JSON.stringify(value).slice(0, 600),
    });
  }
}

/** Validates one Responses stream event by its type; an event type the document does not know is a mismatch too. */
export function validateResponseEvent(event, where) {
  const name = responseEventSchemas.get(event?.type);
  if (!name) {
    mismatches.push({ schema: 'ResponseStreamEvent', where, errors: [`unknown event type ${JSON.stringify(event?.type)}`], value: JSON.stringify(event).slice(0, 600) });
    return;
  }
  validate(name, event, where);
}

/** The events of a server-sent event stream: { event, data } with data lines joined as the format says. */
export function parseSse(text) {
  const events = [];
  for (const block of text.replace(/\r\n?/g, '\n').split('\n\n')) {
    let event;
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return events;
}

function parseJson(text, where) {
  try {
    return JSON.parse(text);
  } catch {
    mismatches.push({ schema: 'JSON', where, errors: ['the body is not JSON'], value: text.slice(0, 600) });
    return undefined;
  }
}

/** Checks one whole exchange by its endpoint: the response's status, content type and complete body text. */
export function inspect(method, path, status, contentType, text) {
  const where = `${method} ${path} → ${status}`;
  const streamed = (contentType ?? '').includes('text/event-stream');
  const record = { method, path, status, streamed };
  exchanges.push(record);
  if (path === '/v1/messages') {
    if (status >= 400) {
      const body = parseJson(text, where);
      if (body !== undefined) validate('AnthropicError', body, where);
    } else if (streamed) {
      const events = parseSse(text);
      record.events = events.length;
      for (const { event, data } of events) {
        const value = parseJson(data, `${where} event ${event}`);
        if (value === undefined) continue;
        if (event !== value.type) mismatches.push({ schema: 'SSE', where, errors: [`event name ${event} ≠ data type ${value.type}`], value: data.slice(0, 300) });
        validate('AnthropicStreamEvent', value, `${where} event ${event}`);
      }
    } else {
      const body = parseJson(text, where);
      if (body !== undefined) validate('AnthropicMessage', body, where);
    }
    return;
  }

  if (!path.startsWith('/v1/')) return;
  if (status >= 400) {
    const body = parseJson(text, where);
    if (body !== undefined) validate('ErrorResponse', body, where);
    return;
  }

  if (path === '/v1/chat/completions') {
    if (!streamed) {
      const body = parseJson(text, where);
      if (body !== undefined) validate('CreateChatCompletionResponse', body, where);
      return;
    }
    const events = parseSse(text);
    record.events = events.length;
    let failed = false;
    events.filter((e) => e.data !== '[DONE]').forEach(({ data }, i) => {
      const chunk = parseJson(data, `${where} chunk ${i}`);
      if (chunk === undefined) return;
      // A stream that fails after it started carries the error as OpenAI's does: a data line with the error object.
      failed ||= Boolean(chunk.error);
      validate(chunk.error ? 'ErrorResponse' : 'CreateChatCompletionStreamResponse', chunk, `${where} chunk ${i}`);
    });
    if (!failed && events.at(-1)?.data !== '[DONE]') mismatches.push({ schema: 'SSE', where, errors: ['the stream does not end with [DONE]'], value: text.slice(-300) });
  } else if (path === '/v1/responses') {
    if (!streamed) {
      const body = parseJson(text, where);
      if (body !== undefined) validate('Response', body, where);
      return;
    }
    const events = parseSse(text);
    record.events = events.length;
    events.forEach(({ event, data }, i) => {
      const value = parseJson(data, `${where} event ${i}`);
      if (value === undefined) return;
      if (event !== undefined && event !== value.type) {
        mismatches.push({ schema: 'SSE', where, errors: [`event ${i}: name ${event} ≠ data type ${value.type}`], value: data.slice(0, 300) });
      }
      validateResponseEvent(value, `${where} event ${i} (${value.type})`);
    });
  } else if (path === '/v1/models') {
    const body = parseJson(text, where);
    if (body !== undefined) validate('ListModelsResponse', body, where);
  } else if (path.startsWith('/v1/models/')) {
    const body = parseJson(text, where);
    if (body !== undefined) validate('Model', body, where);
  }
}

const pending = [];

/** A fetch that passes every request through and inspects a clone of each response once it has been read in full. */
export function recordingFetch(inner) {
  return async function fetch(input, init) {
    const response = await inner(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const method = (init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase();
    const copy = response.clone();
    pending.push(copy.text().then(
      (text) => inspect(method, url.pathname, response.status, response.headers.get('content-type'), text),
      (error) => exchanges.push({ method, path: url.pathname, status: response.status, unread: String(error) })));
    return response;
  };
}

/** Waits until every response body seen so far has been read and checked. */
export async function settled() {
  while (pending.length > 0) {
    await Promise.all(pending.splice(0));
  }
}
