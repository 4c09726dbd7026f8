// LangChain's ChatOpenAI (@langchain/openai) against LLMTR: invoke and stream, over chat completions and over the
// Responses API (useResponsesApi).
import { ChatOpenAI } from '@langchain/openai';
import { apiKey, baseUrl, check, model, requestTimeoutMs, run } from './common.mjs';

function chat(useResponsesApi) {
  return new ChatOpenAI({
    model,
    apiKey,
    configuration: { baseURL: `${baseUrl}/v1` },
    maxRetries: 0,
    timeout: requestTimeoutMs,
    useResponsesApi,
    streamUsage: true,
  });
}

async function invoke(useResponsesApi, prompt) {
  const message = await chat(useResponsesApi).invoke(prompt);
  const text = message.text;
  check(typeof text === 'string' && text.length > 0, `invoke returned no text: ${JSON.stringify(message.content)}`);
  check(message.usage_metadata?.total_tokens > 0, `usage_metadata ${JSON.stringify(message.usage_metadata)}`);
  return { text, usage: message.usage_metadata, id: message.id ?? null };
}

async function stream(useResponsesApi, prompt) {
  let whole;
  let chunks = 0;
  for await (const chunk of await chat(useResponsesApi).stream(prompt)) {
    whole = whole === undefined ? chunk : whole.concat(chunk);
    chunks++;
  }
  check(whole, 'the stream yielded nothing');
  const text = whole.text;
  check(text.length > 0, 'the stream carried no text');
  check(chunks > 1, `only ${chunks} chunk(s)`);
  check(whole.usage_metadata?.total_tokens > 0, `usage_metadata ${JSON.stringify(whole.usage_metadata)}`);
  return { text, chunks, usage: whole.usage_metadata };
}

await run('langchain', {
  chatInvoke: () => invoke(false, 'Say hello to LangChain over chat completions.'),
  chatStream: () => stream(false, 'Stream a hello to LangChain over chat completions.'),
  responsesInvoke: () => invoke(true, 'Say hello to LangChain over the Responses API.'),
  responsesStream: () => stream(true, 'Stream a hello to LangChain over the Responses API.'),
});
