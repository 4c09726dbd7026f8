// The OpenAI Agents SDK (@openai/agents) against LLMTR: one agent turn with a function tool, in which the model calls
// the tool, the SDK runs it and sends its output back (function_call_output), and the model answers. Over the Responses
// API (the SDK's default) and over chat completions (OpenAIChatCompletionsModel), each run whole and streamed.
//
// The model has to call the tool: a scripted upstream calls the first tool it is offered, and the prompt names the
// tool, which is what makes the demo model call it.
import { createRequire } from 'node:module';
import { Agent, OpenAIChatCompletionsModel, run as runAgent, setDefaultOpenAIClient, setTracingDisabled, tool } from '@openai/agents';
import { z } from 'zod';
import { apiKey, baseUrl, check, equal, model, requestTimeoutMs, run } from './common.mjs';

// The OpenAI client of the SDK's own dependency tree (the version it was released with), not the one the other scripts use.
const OpenAI = createRequire(import.meta.resolve('@openai/agents-openai'))('openai').default;
const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0, timeout: requestTimeoutMs });
setDefaultOpenAIClient(client);
// Traces would go to OpenAI's own service: nothing leaves the machine in a test.
setTracingDisabled(true);

const prompt = 'What is the weather in Paris? Use get_weather to find out.';

function agentWith(modelOrName, calls) {
  const getWeather = tool({
    name: 'get_weather',
    description: 'The current weather in a city.',
    parameters: z.object({ city: z.string().describe('The city, e.g. Paris') }),
    execute: async ({ city }) => {
      calls.push({ city });
      return `Sunny and 24°C in ${city}`;
    },
  });
  return new Agent({ name: 'Weather assistant', instructions: 'Answer weather questions with the get_weather tool.', model: modelOrName, tools: [getWeather] });
}

function itemsOf(result) {
  return result.newItems.map((item) => item.type);
}

function checkTurn(result, calls) {
  equal(calls.length, 1, 'tool executions');
  const items = itemsOf(result);
  check(items.includes('tool_call_item'), `no tool call among the run's items: ${items}`);
  check(items.includes('tool_call_output_item'), `no tool output among the run's items: ${items}`);
  equal(items.at(-1), 'message_output_item', 'the last item');
  check(typeof result.finalOutput === 'string' && result.finalOutput.length > 0, `no final output: ${JSON.stringify(result.finalOutput)}`);
  const usage = result.state.usage;
  check(usage.requests >= 2 && usage.totalTokens > 0, `usage ${JSON.stringify(usage)}`);
  return { finalOutput: result.finalOutput, toolCalls: calls, items, requests: usage.requests, totalTokens: usage.totalTokens };
}

async function turn(modelOrName) {
  const calls = [];
  const result = await runAgent(agentWith(modelOrName, calls), prompt, { maxTurns: 4 });
  return checkTurn(result, calls);
}

async function streamedTurn(modelOrName) {
  const calls = [];
  const result = await runAgent(agentWith(modelOrName, calls), prompt, { maxTurns: 4, stream: true });
  const events = {};
  for await (const event of result) {
    const name = event.type === 'run_item_stream_event' ? `${event.type}:${event.name}` : event.type;
    events[name] = (events[name] ?? 0) + 1;
  }
  await result.completed;
  check(!result.error, `the streamed run failed: ${result.error}`);
  check(events['run_item_stream_event:tool_called'] === 1 && events['run_item_stream_event:tool_output'] === 1, `events ${JSON.stringify(events)}`);
  return { ...checkTurn(result, calls), events };
}

const chatModel = () => new OpenAIChatCompletionsModel(client, model);

await run('openai-agents', {
  responses: () => turn(model),
  responsesStream: () => streamedTurn(model),
  chatCompletions: () => turn(chatModel()),
  chatCompletionsStream: () => streamedTurn(chatModel()),
});
