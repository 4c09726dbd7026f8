namespace LlmTr.Modules.Billing.Contracts;

/// <summary>
/// Where an account's requests were processed, for an audit file: requests and tokens by country, by key and by model,
/// and the share that never left Turkey. Computed from the countries each usage row recorded at request time, so a
/// later change to a model's data path does not rewrite history.
/// </summary>
public interface IResidencyReport
{
    Task<ResidencyReport> BuildAsync(string accountId, UsageFilter filter, CancellationToken cancellationToken = default);
}

/// <param name="Total">Every request in the period that reached a model's data path.</param>
/// <param name="ByCountry">A request counts under every country its data passed through (the gateway's and the model's).</param>
/// <param name="Refused">
/// Requests refused before their content went anywhere (no credit, unknown model, a bad request), by the model they
/// named: listed apart, never counted toward a country or the share that stayed in Turkey.
/// </param>
public sealed record ResidencyReport(
    UsageFilter Filter,
    ResidencyFigures Total,
    IReadOnlyList<ResidencyLine> ByCountry,
    IReadOnlyList<ResidencyLine> ByKey,
    IReadOnlyList<ResidencyLine> ByModel,
    IReadOnlyList<ResidencyLine> Refused);

/// <param name="Tokens">Prompt and completion tokens together.</param>
/// <param name="RequestsInTurkey">Requests whose every recorded country is Turkey.</param>
public sealed record ResidencyFigures(long Requests, long Tokens, long RequestsInTurkey, long TokensInTurkey)
{
    public static ResidencyFigures None { get; } = new(0, 0, 0, 0);

    /// <summary>The share of requests that never left Turkey, 0–1 (0 without requests).</summary>
    public decimal ShareInTurkey => Requests == 0 ? 0m : (decimal)RequestsInTurkey / Requests;

    public decimal TokenShareInTurkey => Tokens == 0 ? 0m : (decimal)TokensInTurkey / Tokens;

    public ResidencyFigures Add(long requests, long tokens, bool inTurkey) =>
        new(Requests + requests, Tokens + tokens, RequestsInTurkey + (inTurkey ? requests : 0), TokensInTurkey + (inTurkey ? tokens : 0));
}

/// <param name="Name">The country code, key id or model id.</param>
public sealed record ResidencyLine(string Name, ResidencyFigures Figures);
