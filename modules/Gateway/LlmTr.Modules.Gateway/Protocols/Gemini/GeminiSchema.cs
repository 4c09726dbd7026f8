using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// JSON Schema (what OpenAI clients send for function parameters and structured output) as Gemini's Schema, an
/// OpenAPI 3.0 subset. Gemini rejects keys it does not know, so only its own are written, at every level
/// (<c>additionalProperties</c>, <c>$schema</c>, <c>strict</c>, <c>$defs</c> and the like are left out). Where JSON
/// Schema says the same thing differently it is rewritten: a <c>"null"</c> in <c>type</c> or <c>anyOf</c> becomes
/// <c>nullable</c>; several types become <c>anyOf</c>; <c>const</c> a one-value enum; <c>oneOf</c> is read as
/// <c>anyOf</c>; local <c>$ref</c>s are inlined (to a fixed depth, so a recursive schema ends). Object properties
/// keep the client's order through <c>propertyOrdering</c>, which Gemini otherwise sorts alphabetically.
/// </summary>
internal static class GeminiSchema
{
    private const int MaxDepth = 24;

    private static readonly string[] CopiedKeys =
    [
        "title", "description", "pattern", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
        "minimum", "maximum", "default", "example",
    ];

    /// <summary>The formats Gemini accepts; others (<c>email</c>, <c>uri</c>) are dropped rather than refused.</summary>
    private static readonly HashSet<string> Formats = new(StringComparer.Ordinal) { "date-time", "enum", "float", "double", "int32", "int64" };

    public static bool HasProperties(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties)
        && properties.ValueKind == JsonValueKind.Object && properties.EnumerateObject().Any();

    public static void Write(Utf8JsonWriter writer, JsonElement schema) => Write(writer, schema, schema, 0);

    private static void Write(Utf8JsonWriter writer, JsonElement schema, JsonElement root, int depth)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference) && depth <= MaxDepth)
        {
            schema = Resolve(root, reference.GetString());
            depth++;
        }

        writer.WriteStartObject();
        if (depth > MaxDepth)
        {
            writer.WriteString("type"u8, "object"u8);
        }
        else if (schema.ValueKind == JsonValueKind.Object)
        {
            WriteKeys(writer, schema, root, depth);
        }

        writer.WriteEndObject();
    }

    private static void WriteKeys(Utf8JsonWriter writer, JsonElement schema, JsonElement root, int depth)
    {
        var types = Types(schema);
        var nullable = types.Remove("null");
        var alternatives = AnyOf(schema);
        nullable |= Explicitly(schema, "nullable") || alternatives.Any(IsNull);
        if (types.Count == 1)
        {
            writer.WriteString("type"u8, types[0]);
        }

        if (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && Formats.Contains(format.GetString()!))
        {
            writer.WriteString("format"u8, format.GetString());
        }

        foreach (var key in CopiedKeys)
        {
            if (schema.TryGetProperty(key, out var value))
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }
        }

        if (nullable)
        {
            writer.WriteBoolean("nullable"u8, true);
        }

        Enum(writer, schema);
        Properties(writer, schema, root, depth);
        if (schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
        {
            writer.WritePropertyName("items"u8);
            Write(writer, items, root, depth + 1);
        }

        alternatives.RemoveAll(IsNull);
        if (alternatives.Count > 0 || types.Count > 1)
        {
            writer.WriteStartArray("anyOf"u8);
            foreach (var alternative in alternatives)
            {
                Write(writer, alternative, root, depth + 1);
            }

            foreach (var type in types.Count > 1 ? types : [])
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, type);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    private static void Properties(Utf8JsonWriter writer, JsonElement schema, JsonElement root, int depth)
    {
        if (!HasProperties(schema))
        {
            return;
        }

        var properties = schema.GetProperty("properties");
        writer.WriteStartObject("properties"u8);
        foreach (var property in properties.EnumerateObject())
        {
            writer.WritePropertyName(property.Name);
            Write(writer, property.Value, root, depth + 1);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("propertyOrdering"u8);
        foreach (var property in properties.EnumerateObject())
        {
            writer.WriteStringValue(property.Name);
        }

        writer.WriteEndArray();

        // Gemini refuses a required name that is not a property.
        var required = schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String && properties.TryGetProperty(n.GetString()!, out _)).ToList()
            : [];
        if (required.Count > 0)
        {
            writer.WriteStartArray("required"u8);
            foreach (var name in required)
            {
                name.WriteTo(writer);
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>Gemini's enums are lists of strings; an enum of other values is dropped rather than refused.</summary>
    private static void Enum(Utf8JsonWriter writer, JsonElement schema)
    {
        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array
            && values.GetArrayLength() > 0 && values.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
        {
            writer.WritePropertyName("enum"u8);
            values.WriteTo(writer);
        }
        else if (schema.TryGetProperty("const", out var constant) && constant.ValueKind == JsonValueKind.String)
        {
            writer.WriteStartArray("enum"u8);
            constant.WriteTo(writer);
            writer.WriteEndArray();
        }
    }

    private static List<string> Types(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList(),
            _ => [],
        };
    }

    private static List<JsonElement> AnyOf(JsonElement schema) =>
        (schema.TryGetProperty("anyOf", out var any) || schema.TryGetProperty("oneOf", out any)) && any.ValueKind == JsonValueKind.Array
            ? [.. any.EnumerateArray()]
            : [];

    private static bool IsNull(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) && type.ValueEquals("null"u8);

    private static bool Explicitly(JsonElement schema, string flag) =>
        schema.TryGetProperty(flag, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A local reference (<c>#/$defs/Name</c>, <c>#/definitions/Name</c>); anything else resolves to no schema.</summary>
    private static JsonElement Resolve(JsonElement root, string? reference)
    {
        if (reference is null || !reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return default;
        }

        var target = root;
        foreach (var segment in reference[2..].Split('/'))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(name, out target))
            {
                return default;
            }
        }

        return target;
    }
}
