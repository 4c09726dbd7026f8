namespace LlmTr.Modules.Keys;

internal sealed class KeysOptions
{
    public const string Section = "Keys";

    /// <summary>Requests per minute for a key that sets no limit of its own.</summary>
    public int DefaultRequestsPerMinute { get; set; } = 600;

    /// <summary>How often keys' last-used times are written (in one batch).</summary>
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}
