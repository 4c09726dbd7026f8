// The Vercel AI SDK (ai + @ai-sdk/openai) against LLMTR: its default OpenAI provider model, which speaks the Responses
// API, and its chat model, which speaks chat completions, each with generateText and streamText.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { apiKey, baseUrl, check, equal, model, requestTimeoutMs, run } from './common.mjs';

const openai = createOpenAI({ baseURL: `${baseUrl}/v1`, apiKey });
const limits = () => ({ maxRetries: 0, abortSignal: AbortSignal.timeout(requestTimeoutMs) });

async function generate(languageModel, prompt) {
  const result = await generateText({ model: languageModel, prompt, ...limits() });
  check(result.text.length > 0, 'generateText returned no text');
  equal(result.finishReason, 'stop', 'finishReason');
  check(result.usage.inputTokens > 0 && result.usage.outputTokens > 0, `usage ${JSON.stringify(result.usage)}`);
  return { text: result.text, finishReason: result.finishReason, usage: result.usage, responseId: result.response.id, modelId: result.response.modelId };
}

async function stream(languageModel, prompt) {
  const errors = [];
  const result = streamText({ model: languageModel, prompt, ...limits(), onError: ({ error }) => errors.push(error) });
  let text = '';
  let pieces = 0;
  for await (const piece of result.textStream) {
    text += piece;
    pieces++;
  }
  if (errors.length > 0) throw errors[0];
  equal(text, await result.text, 'the streamed pieces joined vs the result\'s text');
  check(pieces > 1, `only ${pieces} text piece(s)`);
  const usage = await result.usage;
  const finishReason = await result.finishReason;
  equal(finishReason, 'stop', 'finishReason');
  check(usage.inputTokens > 0 && usage.outputTokens > 0, `usage ${JSON.stringify(usage)}`);
  return { text, pieces, finishReason, usage };
}

await run('vercel-ai', {
  responsesGenerate: () => generate(openai(model), 'Say hello to the AI SDK through the Responses API.'),
  responsesStream: () => stream(openai(model), 'Stream a hello to the AI SDK through the Responses API.'),
  chatGenerate: () => generate(openai.chat(model), 'Say hello to the AI SDK through chat completions.'),
  chatStream: () => stream(openai.chat(model), 'Stream a hello to the AI SDK through chat completions.'),
});
