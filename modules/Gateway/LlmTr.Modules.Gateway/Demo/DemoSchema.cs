using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmTr.Modules.Gateway.Demo;

/// <summary>
/// The smallest JSON value a JSON Schema accepts, built the same way every time: the demo model's structured output
/// and its tool call arguments. An object gets its required properties only, an array its minimum number of items, a
/// string the given text (or a fixed value for a known <c>format</c>, padded or cut to its length limits), a number
/// 0 moved into its bounds, a boolean <c>true</c>; <c>const</c> and the first <c>enum</c> value win, <c>anyOf</c> and
/// <c>oneOf</c> take their first branch that can be satisfied, and <c>$ref</c> follows pointers into the schema itself
/// (<c>#/$defs/…</c>, <c>#/definitions/…</c>). What it cannot promise to satisfy (<c>pattern</c>, <c>not</c>, several
/// <c>allOf</c> schemas, a recursion that a required property repeats forever) it refuses in strict mode, with the
/// reason, and passes over in lenient mode (tool arguments).
/// </summary>
internal static class DemoSchema
{
    private const int MaxDepth = 24;

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A minimal instance of <paramref name="schema"/> as JSON text, or null with why none could be made.</summary>
    /// <param name="text">The value for strings without a format.</param>
    /// <param name="strict">Refuse what cannot be guaranteed (structured output); otherwise pass over it (tool arguments).</param>
    public static string? Instance(JsonElement schema, string text, bool strict, out string? problem)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            problem = Write(writer, schema, new Context(schema, text, strict), 0);
        }

        return problem is null ? System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan) : null;
    }

    private sealed record Context(JsonElement Root, string Text, bool Strict);

    private static string? Write(Utf8JsonWriter writer, JsonElement schema, Context context, int depth)
    {
        if (depth > MaxDepth)
        {
            return $"it nests deeper than {MaxDepth} levels (a recursive schema whose recursion is required)";
        }

        switch (schema.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.True:
                writer.WriteStartObject();
                writer.WriteEndObject();
                return null;
            case JsonValueKind.False:
                return "a 'false' schema accepts no value";
            case not JsonValueKind.Object:
                return "a schema must be an object";
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
        {
            return Resolve(context.Root, reference.GetString()!) is { } target
                ? Write(writer, target, context, depth + 1)
                : $"'$ref' \"{reference.GetString()}\" does not point into the schema's own definitions";
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(writer);
            return null;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            if (values.GetArrayLength() == 0)
            {
                return "an empty 'enum' accepts no value";
            }

            values[0].WriteTo(writer);
            return null;
        }

        if (context.Strict && schema.TryGetProperty("not", out _))
        {
            return "'not' is not supported by the demo model";
        }

        foreach (var name in (ReadOnlySpan<string>)["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(name, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                return FirstBranch(writer, branches, name, context, depth);
            }
        }

        if (schema.TryGetProperty("allOf", out var all) && all.ValueKind == JsonValueKind.Array && all.GetArrayLength() > 0)
        {
            if (all.GetArrayLength() > 1 && context.Strict)
            {
                return "'allOf' with more than one schema is not supported by the demo model";
            }

            return Write(writer, all[0], context, depth + 1);
        }

        return Type(schema) switch
        {
            "object" => Object(writer, schema, context, depth),
            "array" => Array(writer, schema, context, depth),
            "string" => String(writer, schema, context),
            "integer" => Number(writer, schema, integer: true),
            "number" => Number(writer, schema, integer: false),
            "boolean" => Literal(writer, w => w.WriteBooleanValue(true)),
            "null" => Literal(writer, w => w.WriteNullValue()),
            var other => $"the type '{other}' is not a JSON Schema type",
        };
    }

    /// <summary>The schema's type: the first of a list that is not "null" (or "null" alone), else guessed from its keywords.</summary>
    private static string Type(JsonElement schema)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString()!;
            }

            if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0)
            {
                var names = type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList();
                return names.FirstOrDefault(t => t != "null") ?? names.FirstOrDefault() ?? "object";
            }
        }

        return schema.TryGetProperty("properties", out _) || schema.TryGetProperty("required", out _) ? "object"
            : schema.TryGetProperty("items", out _) || schema.TryGetProperty("prefixItems", out _) ? "array"
            : schema.TryGetProperty("minLength", out _) || schema.TryGetProperty("maxLength", out _) || schema.TryGetProperty("format", out _) ? "string"
            : schema.TryGetProperty("minimum", out _) || schema.TryGetProperty("maximum", out _) ? "number"
            : "object";
    }

    private static string? FirstBranch(Utf8JsonWriter writer, JsonElement branches, string keyword, Context context, int depth)
    {
        string? first = null;
        foreach (var branch in branches.EnumerateArray())
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            string? problem;
            using (var trial = new Utf8JsonWriter(buffer, WriterOptions))
            {
                problem = Write(trial, branch, context, depth + 1);
            }

            if (problem is null)
            {
                writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
                return null;
            }

            first ??= problem;
        }

        return first is null ? $"an empty '{keyword}' accepts no value" : $"no branch of '{keyword}' can be satisfied: {first}";
    }

    private static string? Object(Utf8JsonWriter writer, JsonElement schema, Context context, int depth)
    {
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var names = new List<string>();
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            names.AddRange(required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).Distinct());
        }

        // More properties than the required ones only when minProperties asks for them, in the order they are declared.
        var least = Whole(schema, "minProperties") ?? 0;
        if (names.Count < least && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (names.Count >= least)
                {
                    break;
                }

                if (!names.Contains(property.Name))
                {
                    names.Add(property.Name);
                }
            }
        }

        if (names.Count < least && context.Strict)
        {
            return $"'minProperties' {least} asks for more properties than the schema declares";
        }

        writer.WriteStartObject();
        foreach (var name in names)
        {
            writer.WritePropertyName(name);
            var property = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var s) ? s : default;
            if (property.ValueKind == JsonValueKind.Undefined && schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.Object)
            {
                property = extra;
            }

            if (Write(writer, property, context, depth + 1) is { } problem)
            {
                return $"property '{name}': {problem}";
            }
        }

        writer.WriteEndObject();
        return null;
    }

    private static string? Array(Utf8JsonWriter writer, JsonElement schema, Context context, int depth)
    {
        var prefix = schema.TryGetProperty("prefixItems", out var p) && p.ValueKind == JsonValueKind.Array ? p : default;
        var items = schema.TryGetProperty("items", out var i) ? i : default;
        var count = Whole(schema, "minItems") ?? 0;
        if (Whole(schema, "maxItems") is { } most && most < count)
        {
            return "'maxItems' is below 'minItems'";
        }

        writer.WriteStartArray();
        for (var index = 0; index < count; index++)
        {
            var item = prefix.ValueKind == JsonValueKind.Array && index < prefix.GetArrayLength() ? prefix[index] : items;
            if (Write(writer, item, context, depth + 1) is { } problem)
            {
                return $"item {index}: {problem}";
            }
        }

        writer.WriteEndArray();
        return null;
    }

    private static string? String(Utf8JsonWriter writer, JsonElement schema, Context context)
    {
        if (context.Strict && schema.TryGetProperty("pattern", out _))
        {
            return "'pattern' is not supported by the demo model";
        }

        var format = schema.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        var value = format switch
        {
            "date-time" => "2026-01-01T00:00:00Z",
            "date" => "2026-01-01",
            "time" => "00:00:00Z",
            "duration" => "PT1S",
            "email" or "idn-email" => "demo@example.com",
            "hostname" or "idn-hostname" => "example.com",
            "ipv4" => "192.0.2.1",
            "ipv6" => "2001:db8::1",
            "uri" or "iri" or "url" or "uri-reference" or "iri-reference" => "https://example.com/",
            "uuid" => "00000000-0000-4000-8000-000000000000",
            _ => context.Text,
        };
        var least = Whole(schema, "minLength") ?? 0;
        var most = Whole(schema, "maxLength");
        if (most is { } limit && limit < least)
        {
            return "'maxLength' is below 'minLength'";
        }

        if (value.Length < least)
        {
            value = value.PadRight(least, '.');
        }

        if (most is { } max && value.Length > max)
        {
            value = value[..max];
            if (value.Length > 0 && char.IsHighSurrogate(value[^1]))
            {
                value = value[..^1].PadRight(Math.Max(least, value.Length - 1), '.');
            }
        }

        writer.WriteStringValue(value);
        return null;
    }

    /// <summary>0, moved into the bounds (inclusive or exclusive) and onto <c>multipleOf</c>.</summary>
    private static string? Number(Utf8JsonWriter writer, JsonElement schema, bool integer)
    {
        var low = Decimal(schema, "minimum");
        var high = Decimal(schema, "maximum");
        var lowOpen = Decimal(schema, "exclusiveMinimum");
        var highOpen = Decimal(schema, "exclusiveMaximum");
        var step = Decimal(schema, "multipleOf") is > 0 and var m ? m : integer ? 1m : (decimal?)null;

        bool Fits(decimal v) =>
            (low is null || v >= low) && (high is null || v <= high) && (lowOpen is null || v > lowOpen) && (highOpen is null || v < highOpen)
            && (step is null || v % step.Value == 0);

        var candidates = new List<decimal> { 0 };
        foreach (var bound in new[] { low, lowOpen, high, highOpen })
        {
            if (bound is { } b)
            {
                candidates.AddRange([b, b + 1, b - 1]);
                if (step is { } s)
                {
                    candidates.Add(Math.Ceiling(b / s) * s);
                    candidates.Add(Math.Floor(b / s) * s);
                    candidates.Add((Math.Floor(b / s) + 1) * s);
                    candidates.Add((Math.Ceiling(b / s) - 1) * s);
                }
            }
        }

        if ((low ?? lowOpen) is { } l && (high ?? highOpen) is { } h)
        {
            candidates.Add((l + h) / 2);
        }

        foreach (var candidate in candidates)
        {
            if (Fits(candidate))
            {
                writer.WriteNumberValue(integer ? Math.Round(candidate) : candidate);
                return null;
            }
        }

        return "no " + (integer ? "integer" : "number") + " fits its bounds";
    }

    private static string? Literal(Utf8JsonWriter writer, Action<Utf8JsonWriter> write)
    {
        write(writer);
        return null;
    }

    private static int? Whole(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? Math.Max(number, 0) : null;

    private static decimal? Decimal(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) ? number : null;

    /// <summary>A JSON pointer into the schema itself (<c>#</c>, <c>#/$defs/Name</c>, <c>#/definitions/Name/properties/x</c>).</summary>
    private static JsonElement? Resolve(JsonElement root, string reference)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }

        var current = root;
        foreach (var raw in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}
