// The official Anthropic JS SDK against LLMTR's Messages API (/v1/messages): a whole message, a streamed one through
// the SDK's message stream helper, and the errors of an unknown key and an unknown model.
import Anthropic from '@anthropic-ai/sdk';
import { apiKey, baseUrl, check, equal, failure, model, requestTimeoutMs, run, unknownKey } from './common.mjs';

// The SDK adds /v1 itself: its base URL is the gateway's address.
const options = { baseURL: baseUrl, maxRetries: 0, timeout: requestTimeoutMs };
const client = new Anthropic({ ...options, apiKey });

function textOf(message) {
  return message.content.filter((block) => block.type === 'text').map((block) => block.text).join('');
}

function errorOf(error, type, status) {
  check(error instanceof type, `expected ${type.name}, got ${error?.constructor?.name}: ${error?.message}`);
  equal(error.status, status, 'status');
  equal(error.error?.type, 'error', 'the error body\'s type');
  check(typeof error.error?.error?.message === 'string', `the error body has no message: ${JSON.stringify(error.error)}`);
  return { class: error.constructor.name, status: error.status, type: error.error.error.type, message: error.error.error.message };
}

await run('anthropic-sdk', {
  async create() {
    const { data, response } = await client.messages
      .create({ model, max_tokens: 256, messages: [{ role: 'user', content: 'Say hello to the Anthropic SDK.' }] })
      .withResponse();
    equal(response.status, 200, 'status');
    equal(data.type, 'message', 'type');
    equal(data.role, 'assistant', 'role');
    const text = textOf(data);
    check(text.length > 0, 'the message has no text');
    check(data.usage.input_tokens > 0 && data.usage.output_tokens > 0, `usage ${JSON.stringify(data.usage)}`);
    return { id: data.id, model: data.model, text, stop_reason: data.stop_reason, usage: data.usage };
  },

  async stream() {
    const stream = client.messages.stream({
      model,
      max_tokens: 256,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Stream a hello to the Anthropic SDK.' }] }],
    });
    const types = [];
    let text = '';
    stream.on('text', (delta) => { text += delta; });
    for await (const event of stream) {
      types.push(event.type);
    }
    const final = await stream.finalMessage();
    equal(types[0], 'message_start', 'first event');
    equal(types.at(-1), 'message_stop', 'last event');
    equal(text, textOf(final), 'the text deltas joined vs the final message');
    check(text.length > 0, 'the stream carried no text');
    check(final.stop_reason, 'the final message has no stop_reason');
    check(final.usage.output_tokens > 0, `usage ${JSON.stringify(final.usage)}`);
    return { events: types.length, types: [...new Set(types)], text, stop_reason: final.stop_reason, usage: final.usage };
  },

  async badKey() {
    const stranger = new Anthropic({ ...options, apiKey: unknownKey });
    const error = await failure(() => stranger.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }), 'an unknown key');
    return errorOf(error, Anthropic.AuthenticationError, 401);
  },

  async unknownModel() {
    const error = await failure(
      () => client.messages.create({ model: 'nobody/no-such-model', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }),
      'an unknown model');
    // Anthropic answers an unknown model with 404 not_found_error; LLMTR (as documented) with 400: the test asserts which.
    return error?.status === 404 ? errorOf(error, Anthropic.NotFoundError, 404) : errorOf(error, Anthropic.BadRequestError, 400);
  },
});
