// The official OpenAI JS SDK against LLMTR's /v1: chat completions (whole and streamed, with usage), the Responses
// API (whole and streamed), the model list, and the errors a client must be able to tell apart.
import OpenAI from 'openai';
import { apiKey, baseUrl, check, equal, failure, model, requestTimeoutMs, run, unknownKey } from './common.mjs';

const options = { baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: requestTimeoutMs };
const client = new OpenAI({ ...options, apiKey });

function usageOf(usage) {
  check(usage, 'the answer has no usage');
  check(usage.total_tokens > 0, `usage.total_tokens is ${usage.total_tokens}`);
  return usage;
}

/** What the summary shows of an SDK error, after checking it carries OpenAI's error shape. */
function errorOf(error, type, status) {
  check(error instanceof type, `expected ${type.name}, got ${error?.constructor?.name}: ${error?.message}`);
  equal(error.status, status, 'status');
  check(typeof error.error?.message === 'string' && error.error.message.length > 0, `the error body has no message: ${JSON.stringify(error.error)}`);
  check(typeof error.type === 'string', `the error body has no type: ${JSON.stringify(error.error)}`);
  return { class: error.constructor.name, status: error.status, type: error.type, code: error.code, param: error.param, message: error.error.message };
}

// With a scripted upstream (LLMTR_FAILING_PROMPT set), streams that break off: the prompt makes the upstream send a
// piece of text and then an error.
const failingPrompt = process.env.LLMTR_FAILING_PROMPT;
const failures = failingPrompt === undefined ? {} : {
  async chatStreamFailure() {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: failingPrompt }], stream: true });
    let chunks = 0;
    const error = await failure(async () => {
      for await (const chunk of stream) chunks += chunk ? 1 : 0;
    }, 'a chat stream that breaks off');
    check(error instanceof OpenAI.APIError, `expected an APIError, got ${error?.constructor?.name}: ${error?.message}`);
    return { chunks, class: error.constructor.name, message: error.message };
  },

  async responsesStreamFailure() {
    const stream = await client.responses.create({ model, input: failingPrompt, stream: true });
    const types = [];
    let failed = null;
    let error = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'error') error = event;
      if (event.type === 'response.failed') failed = event.response;
    }
    equal(types.at(-1), 'response.failed', 'last event');
    check(error, `no error event among ${types}`);
    equal(failed.status, 'failed', 'status of the failed response');
    return { types, code: error.code, message: error.message, failedCode: failed.error?.code, failedMessage: failed.error?.message };
  },
};

await run('openai-sdk', {
  ...failures,
  async chat() {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Say hello to the OpenAI SDK.' }] })
      .withResponse();
    equal(response.status, 200, 'status');
    equal(data.object, 'chat.completion', 'object');
    const choice = data.choices[0];
    check(typeof choice?.message?.content === 'string' && choice.message.content.length > 0, 'the completion has no text');
    equal(choice.message.role, 'assistant', 'role');
    return { id: data.id, model: data.model, text: choice.message.content, finish_reason: choice.finish_reason, usage: usageOf(data.usage), request_id: data._request_id ?? null };
  },

  async chatStream() {
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Stream a hello to the OpenAI SDK.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let finish = null;
    let usage = null;
    const ids = new Set();
    for await (const chunk of stream) {
      chunks++;
      ids.add(chunk.id);
      equal(chunk.object, 'chat.completion.chunk', 'chunk object');
      for (const choice of chunk.choices) {
        text += choice.delta?.content ?? '';
        finish = choice.finish_reason ?? finish;
      }
      if (chunk.usage) {
        check(chunk.choices.length === 0, 'the usage chunk has choices');
        usage = chunk.usage;
      }
    }
    check(chunks > 1, `only ${chunks} chunk(s)`);
    check(text.length > 0, 'the stream carried no text');
    check(finish, 'no chunk carried a finish_reason');
    equal(ids.size, 1, 'distinct chunk ids');
    return { chunks, text, finish_reason: finish, usage: usageOf(usage) };
  },

  async responses() {
    const { data, response } = await client.responses
      .create({ model, input: 'Say hello to the Responses API.', max_output_tokens: 200 })
      .withResponse();
    equal(response.status, 200, 'status');
    equal(data.object, 'response', 'object');
    equal(data.status, 'completed', 'status of the response');
    check(data.output_text.length > 0, 'the response has no output_text');
    check(data.usage?.total_tokens > 0, 'the response has no usage');
    return { id: data.id, model: data.model, text: data.output_text, output: data.output.map((o) => o.type), usage: data.usage };
  },

  async responsesStream() {
    const stream = await client.responses.create({ model, input: 'Stream a hello through the Responses API.', stream: true });
    const types = [];
    let text = '';
    let last = -1;
    let completed = null;
    for await (const event of stream) {
      types.push(event.type);
      check(event.sequence_number > last, `sequence_number ${event.sequence_number} after ${last}`);
      last = event.sequence_number;
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    equal(types[0], 'response.created', 'first event');
    equal(types.at(-1), 'response.completed', 'last event');
    check(completed, 'no response.completed');
    const finalText = completed.output.flatMap((o) => o.content ?? []).filter((c) => c.type === 'output_text').map((c) => c.text).join('');
    equal(text, finalText, 'the deltas joined vs the completed response\'s text');
    check(completed.usage?.total_tokens > 0, 'the completed response has no usage');
    return { events: types.length, types: [...new Set(types)], text, usage: completed.usage };
  },

  async models() {
    const ids = [];
    for await (const entry of client.models.list()) {
      equal(entry.object, 'model', 'object of a listed model');
      ids.push(entry.id);
    }
    check(ids.includes(model), `${model} is not in the list of ${ids.length} models`);
    const one = await client.models.retrieve(model);
    equal(one.id, model, 'the retrieved model\'s id');
    return { count: ids.length, includesModel: true, retrieved: one.id, owned_by: one.owned_by };
  },

  async badKey() {
    const stranger = new OpenAI({ ...options, apiKey: unknownKey });
    const error = await failure(() => stranger.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }), 'an unknown key');
    return errorOf(error, OpenAI.AuthenticationError, 401);
  },

  // OpenAI answers an unknown model with 404; LLMTR (as documented) with 400. Either way the SDK's class must match the
  // status and the code must say model_not_found: the summary shows which, and the test asserts it.
  async unknownModel() {
    const error = await failure(
      () => client.chat.completions.create({ model: 'nobody/no-such-model', messages: [{ role: 'user', content: 'Hi' }] }),
      'an unknown model');
    const summary = error?.status === 404 ? errorOf(error, OpenAI.NotFoundError, 404) : errorOf(error, OpenAI.BadRequestError, 400);
    equal(summary.code, 'model_not_found', 'code');
    return summary;
  },

  async invalidBody() {
    const error = await failure(() => client.chat.completions.create({ model, messages: 'not a list of messages' }), 'an invalid body');
    return errorOf(error, OpenAI.BadRequestError, 400);
  },

  async invalidResponsesBody() {
    const error = await failure(() => client.responses.create({ model, input: 42 }), 'an invalid Responses body');
    return errorOf(error, OpenAI.BadRequestError, 400);
  },
});
