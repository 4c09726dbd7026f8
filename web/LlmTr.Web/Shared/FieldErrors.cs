namespace LlmTr.Web.Shared;

/// <summary>A service's per-field problems, looked up by the input's property path (e.g. <c>DataPath[1].Country</c>).</summary>
public sealed class FieldErrors(IReadOnlyDictionary<string, string[]> errors)
{
    public static FieldErrors None { get; } = new(new Dictionary<string, string[]>());

    public bool Any => errors.Count > 0;

    public bool Has(string field) => errors.ContainsKey(field);

    public string? For(string field) => errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public IReadOnlyList<string> All => errors.SelectMany(e => e.Value).ToList();
}
