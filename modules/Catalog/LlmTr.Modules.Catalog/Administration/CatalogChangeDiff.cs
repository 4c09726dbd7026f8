using System.Globalization;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;

namespace LlmTr.Modules.Catalog.Administration;

/// <summary>
/// What a recorded change changed. Each change row holds the whole input that was saved (a model, a provider, or one
/// price), so a change's fields are the difference from the subject's previous change of the same kind.
/// </summary>
internal static class CatalogChangeDiff
{
    public const string PriceSet = "price set";

    /// <summary>Facts a record derives from what was typed (a hop's <c>InTurkey</c>): never changed by themselves, so never shown.</summary>
    private static readonly HashSet<string> Derived = new(StringComparer.Ordinal) { nameof(DataPathHop.InTurkey), nameof(DataPathHop.RetainsNothing) };

    /// <summary>The entries, newest first as given, each with its fields against its predecessor in <paramref name="earlier"/>.</summary>
    /// <param name="entries">The changes to show.</param>
    /// <param name="earlier">Every change of the same subjects (the entries themselves included), in any order.</param>
    public static IReadOnlyList<CatalogChangeEntry> Describe(IReadOnlyList<ChangeRecord> entries, IEnumerable<ChangeRecord> earlier)
    {
        var bySubject = earlier.GroupBy(c => c.Subject, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Id).ToList(), StringComparer.Ordinal);
        return entries.Select(entry =>
        {
            var previous = bySubject.TryGetValue(entry.Subject, out var history)
                ? history.FirstOrDefault(candidate => candidate.Id < entry.Id && SameKind(candidate, entry))
                : null;
            return new CatalogChangeEntry(entry.Id, entry.At, entry.Actor, entry.Subject, entry.Action, entry.Details)
            {
                Fields = Compare(previous?.Details, entry.Details),
            };
        }).ToList();
    }

    /// <summary>The fields whose value differs between two saved inputs (JSON); with no earlier input, every field that has a value.</summary>
    public static IReadOnlyList<CatalogFieldChange> Compare(string? before, string after)
    {
        var old = Flatten(before);
        var now = Flatten(after);
        var changes = new List<CatalogFieldChange>();
        foreach (var field in now.Keys.Concat(old.Keys.Where(key => !now.ContainsKey(key))))
        {
            var was = old.GetValueOrDefault(field, "");
            var isNow = now.GetValueOrDefault(field, "");
            if (!string.Equals(was, isNow, StringComparison.Ordinal))
            {
                changes.Add(new CatalogFieldChange(field, was, isNow));
            }
        }

        return changes;
    }

    /// <summary>Saves of a model or provider follow each other; a price follows the previous price of the same unit and variant.</summary>
    private static bool SameKind(ChangeRecord candidate, ChangeRecord entry)
    {
        var entryIsPrice = entry.Action == PriceSet;
        if ((candidate.Action == PriceSet) != entryIsPrice)
        {
            return false;
        }

        return !entryIsPrice
            || (string.Equals(Field(candidate.Details, nameof(PriceInput.Unit)), Field(entry.Details, nameof(PriceInput.Unit)), StringComparison.OrdinalIgnoreCase)
                && string.Equals(Field(candidate.Details, nameof(PriceInput.Variant)), Field(entry.Details, nameof(PriceInput.Variant)), StringComparison.Ordinal));
    }

    private static string? Field(string details, string name) =>
        Flatten(details).TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>
    /// A saved input as field paths and text values: lists of plain values as one comma-separated value, lists of
    /// objects (the data path's hops) per item, numbered from 1 as people count them. Anything unreadable is one field.
    /// </summary>
    private static Dictionary<string, string> Flatten(string? json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return fields;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            Add(fields, "", document.RootElement);
        }
        catch (JsonException)
        {
            fields["Details"] = json;
        }

        return fields;
    }

    private static void Add(Dictionary<string, string> fields, string path, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject().Where(p => !Derived.Contains(p.Name)))
                {
                    Add(fields, path.Length == 0 ? property.Name : $"{path}.{property.Name}", property.Value);
                }

                break;
            case JsonValueKind.Array when value.EnumerateArray().Any(item => item.ValueKind is JsonValueKind.Object or JsonValueKind.Array):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    index++;
                    Add(fields, string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]"), item);
                }

                break;
            case JsonValueKind.Array:
                fields[path] = string.Join(", ", value.EnumerateArray().Select(Text));
                break;
            default:
                fields[path] = Text(value);
                break;
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };
}
