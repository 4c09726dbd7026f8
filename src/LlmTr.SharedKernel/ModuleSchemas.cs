namespace LlmTr.SharedKernel;

/// <summary>The PostgreSQL schema each module owns. No module reads or writes another's schema.</summary>
public static class ModuleSchemas
{
    public const string Identity = "identity";
    public const string Catalog = "catalog";
    public const string Keys = "keys";
    public const string Billing = "billing";
    public const string Gateway = "gateway";
    public const string Hangfire = "hangfire";
}
