// Prunes OpenAI's OpenAPI document to the schemas the real-client scripts validate against, and to every schema those
// reach through "$ref", so the repository keeps a small pinned copy instead of the whole API description.
//
//   node openapi/prune.mjs <openapi.json of openai/openai-openapi> [output file]
//
// The output keeps the document's shape (openapi, info, components.schemas), so references of the form
// "#/components/schemas/Name" resolve in it exactly as they do in the original.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const roots = [
  'CreateChatCompletionResponse',
  'CreateChatCompletionStreamResponse',
  'Response',
  'ResponseStreamEvent',
  'ListModelsResponse',
  'Model',
  'ErrorResponse',
];

const [source, target = fileURLToPath(new URL('./openai-openapi.pruned.json', import.meta.url))] = process.argv.slice(2);
if (!source) {
  console.error('usage: node openapi/prune.mjs <openapi.json> [output file]');
  process.exit(2);
}

const document = JSON.parse(readFileSync(source, 'utf8'));
const all = document.components.schemas;
const prefix = '#/components/schemas/';
const kept = new Set();
const pending = [...roots];
while (pending.length > 0) {
  const name = pending.pop();
  if (kept.has(name)) continue;
  if (!(name in all)) throw new Error(`The document has no schema named ${name}.`);
  kept.add(name);
  (function collect(node) {
    if (Array.isArray(node)) return node.forEach(collect);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith(prefix)) throw new Error(`${name} refers outside the schemas: ${value}`);
        pending.push(decodeURIComponent(value.slice(prefix.length)));
      } else {
        collect(value);
      }
    }
  })(all[name]);
}

// Documentation-only keywords (the reference site's metadata and examples) say nothing about validity: left out. The
// keys of a "properties" map are property names, not keywords, and stay whatever they are called.
const docsOnly = new Set(['x-oaiMeta', 'example', 'examples']);
const strip = (node, names = false) => {
  if (Array.isArray(node)) return node.map((item) => strip(item));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node)
    .filter(([key]) => names || !docsOnly.has(key))
    .map(([key, value]) => [key, strip(value, !names && key === 'properties')]));
};

// In the source document's order, so a re-run on a newer copy gives a readable diff.
const schemas = Object.fromEntries(Object.entries(all).filter(([name]) => kept.has(name)).map(([name, schema]) => [name, strip(schema)]));
const pruned = {
  openapi: document.openapi,
  info: { title: document.info.title, version: document.info.version },
  components: { schemas },
};
writeFileSync(target, JSON.stringify(pruned, null, 2) + '\n');
console.log(`${kept.size} of ${Object.keys(all).length} schemas kept in ${target}`);
