using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>How a request wants the deployments of a model ordered when <see cref="RouteOptions.Order"/> leaves a choice.</summary>
internal enum RouteSort
{
    /// <summary>The catalog's own order.</summary>
    None,

    /// <summary>Cheapest deployment first.</summary>
    Price,

    /// <summary>Fastest deployment first.</summary>
    Latency,
}

/// <summary>
/// A request's routing options: the models to fall back to after its <c>model</c> (<c>llmtr.models</c>) and how the
/// deployments of each model are chosen (<c>llmtr.provider</c>). A client that cannot add a field to the body sends the
/// same two options as a JSON object in the <c>x-llmtr-route</c> header; each option is set in one place or the other.
/// Parsed and checked here, once per request; the pipeline applies them.
/// </summary>
/// <param name="Models">Model ids to try in this order after the request's own <c>model</c>; empty for none.</param>
/// <param name="Order">Deployment names to try first, in this order; empty for the default order.</param>
/// <param name="Only">The only deployment names that may serve the request; empty for no such limit.</param>
/// <param name="Ignore">Deployment names that never serve the request.</param>
/// <param name="AllowFallbacks">False: only the deployments named in <see cref="Order"/>, and no catalog fallback models.</param>
/// <param name="Sort">How the deployments not placed by <see cref="Order"/> are ordered.</param>
internal sealed partial record RouteOptions(
    ImmutableArray<string> Models,
    ImmutableArray<string> Order,
    ImmutableArray<string> Only,
    ImmutableArray<string> Ignore,
    bool AllowFallbacks,
    RouteSort Sort)
{
    /// <summary>The header that carries the options for clients that cannot add a field to the body.</summary>
    public const string Header = "x-llmtr-route";

    public const int MaxModels = 10;

    public const int MaxNames = 20;

    private const string ModelsOption = "models";
    private const string ProviderOption = "provider";
    private const string ProviderFields = "'order', 'only', 'ignore', 'allow_fallbacks' and 'sort'";

    /// <summary>A request that sets no routing option: its model, then the catalog's fallbacks, deployments in the catalog's order.</summary>
    public static RouteOptions None { get; } = new([], [], [], [], AllowFallbacks: true, RouteSort.None);

    /// <summary>The names of the <c>llmtr</c> options that are routing options.</summary>
    public static bool IsOption(string name) => name is ModelsOption or ProviderOption;

    /// <summary>
    /// Why the value of a routing option in the body's <c>llmtr</c> object (<c>models</c> or <c>provider</c>) is invalid,
    /// or null. The <c>llmtr</c> object's own check calls it, so every API that takes the object refuses the same values.
    /// </summary>
    public static GatewayError? Problem(JsonProperty option)
    {
        var fields = new Fields();
        return fields.Read(option, ResidencyRequirement.Field);
    }

    /// <summary>The options the <c>x-llmtr-route</c> header sets on its own; on failure null with the error to answer.</summary>
    public static RouteOptions? FromHeader(string header, out GatewayError? error)
    {
        var fields = new Fields();
        error = fields.ReadHeader(header);
        return error is null ? fields.Options() : null;
    }

    /// <summary>
    /// A request's effective options: those of its body's <c>llmtr</c> object (<paramref name="root"/> is the body) and
    /// those of its <c>x-llmtr-route</c> header (null when the request has none). An option set in both is refused, as is
    /// any invalid value; on failure null with the error to answer.
    /// </summary>
    public static RouteOptions? Of(JsonElement root, string? header, out GatewayError? error)
    {
        var llmtr = default(JsonElement);
        var hasOptions = root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty(ResidencyRequirement.Field, out llmtr) && llmtr.ValueKind == JsonValueKind.Object;
        if (!hasOptions && header is null)
        {
            // Most requests: nothing to read, nothing allocated.
            error = null;
            return None;
        }

        var body = new Fields();
        if (hasOptions)
        {
            foreach (var option in llmtr.EnumerateObject())
            {
                if (IsOption(option.Name) && body.Read(option, ResidencyRequirement.Field) is { } problem)
                {
                    error = problem;
                    return null;
                }
            }
        }

        if (header is null)
        {
            error = null;
            return body.Options();
        }

        var fromHeader = new Fields();
        error = fromHeader.ReadHeader(header) ?? Twice(body.HasModels && fromHeader.HasModels, ModelsOption) ?? Twice(body.HasProvider && fromHeader.HasProvider, ProviderOption);
        return error is null ? body.With(fromHeader).Options() : null;

        static GatewayError? Twice(bool both, string option) => both
            ? GatewayError.Invalid(
                $"'{Header}.{option}' sets what the body's 'llmtr.{option}' already sets. Set it in one place: the body or the {Header} header.",
                $"{Header}.{option}")
            : null;
    }

    public bool Equals(RouteOptions? other) =>
        other is not null
        && Models.SequenceEqual(other.Models) && Order.SequenceEqual(other.Order) && Only.SequenceEqual(other.Only) && Ignore.SequenceEqual(other.Ignore)
        && AllowFallbacks == other.AllowFallbacks && Sort == other.Sort;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var list in (ReadOnlySpan<ImmutableArray<string>>)[Models, Order, Only, Ignore])
        {
            hash.Add(list.Length);
            foreach (var item in list)
            {
                hash.Add(item, StringComparer.Ordinal);
            }
        }

        hash.Add(AllowFallbacks);
        hash.Add(Sort);
        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Models = [{string.Join(", ", Models)}], Order = [{string.Join(", ", Order)}], Only = [{string.Join(", ", Only)}], ");
        builder.Append(CultureInfo.InvariantCulture, $"Ignore = [{string.Join(", ", Ignore)}], AllowFallbacks = {AllowFallbacks}, Sort = {Sort}");
        return true;
    }

    /// <summary>The catalog's rule for a model id: <c>provider/model</c>, lowercase.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}/[a-z0-9][a-z0-9._:-]{0,79}$")]
    private static partial Regex ModelId();

    /// <summary>The catalog's rule for a deployment's name.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,39}$")]
    private static partial Regex DeploymentName();

    /// <summary>What one source (the body's <c>llmtr</c> object or the header) sets, read and checked option by option.</summary>
    private sealed class Fields
    {
        private ImmutableArray<string>? _models;
        private ImmutableArray<string>? _order;
        private ImmutableArray<string>? _only;
        private ImmutableArray<string>? _ignore;
        private bool? _allowFallbacks;
        private RouteSort? _sort;

        public bool HasModels => _models is not null;

        public bool HasProvider { get; private set; }

        public RouteOptions Options() =>
            _models is null && !HasProvider
                ? None
                : new RouteOptions(_models ?? [], _order ?? [], _only ?? [], _ignore ?? [], _allowFallbacks ?? true, _sort ?? RouteSort.None);

        /// <summary>Takes the options <paramref name="other"/> sets, none of which this source sets.</summary>
        public Fields With(Fields other)
        {
            _models ??= other._models;
            if (other.HasProvider)
            {
                HasProvider = true;
                (_order, _only, _ignore, _allowFallbacks, _sort) = (other._order, other._only, other._ignore, other._allowFallbacks, other._sort);
            }

            return this;
        }

        public GatewayError? ReadHeader(string header)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            }
            catch (JsonException)
            {
                return GatewayError.Invalid(
                    $"The {Header} header is not valid JSON. Send one JSON object on one line, such as {{\"models\":[\"openai/gpt-4o\"]}}.", Header);
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return GatewayError.Invalid($"The {Header} header must be a JSON object with 'models' and/or 'provider'{Got(root)}.", Header);
                }

                foreach (var option in root.EnumerateObject())
                {
                    var problem = IsOption(option.Name)
                        ? Read(option, Header)
                        : GatewayError.Invalid(
                            $"The {Header} header takes only 'models' and 'provider'{(Shown(option.Name) is { } shown ? $", not '{shown}'" : "")}. "
                            + "'residency' and 'retention' go in the body's 'llmtr' object.", Header);
                    if (problem is not null)
                    {
                        return problem;
                    }
                }
            }

            return null;
        }

        /// <summary>Reads <c>models</c> or <c>provider</c>; <paramref name="prefix"/> is where it was set (<c>llmtr</c> or the header).</summary>
        public GatewayError? Read(JsonProperty option, string prefix)
        {
            var param = $"{prefix}.{option.Name}";
            if (option.Name == ModelsOption)
            {
                if (HasModels)
                {
                    return Repeated(param);
                }

                if (option.Value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                var problem = List(option.Value, param, MaxModels, "model id", "such as \"openai/gpt-4o\"", ModelId(), out var models);
                _models = models;
                return problem;
            }

            if (HasProvider)
            {
                return Repeated(param);
            }

            if (option.Value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            HasProvider = true;
            return Provider(option.Value, param);
        }

        private GatewayError? Provider(JsonElement provider, string param)
        {
            if (provider.ValueKind != JsonValueKind.Object)
            {
                return GatewayError.Invalid($"'{param}' must be an object with any of {ProviderFields}{Got(provider)}.", param);
            }

            foreach (var field in provider.EnumerateObject())
            {
                var name = $"{param}.{field.Name}";
                var problem = field.Name switch
                {
                    "order" => _order is not null ? Repeated(name) : Names(field.Value, name, out _order),
                    "only" => _only is not null ? Repeated(name) : Names(field.Value, name, out _only),
                    "ignore" => _ignore is not null ? Repeated(name) : Names(field.Value, name, out _ignore),
                    "allow_fallbacks" => _allowFallbacks is not null ? Repeated(name) : AllowFallbacks(field.Value, name),
                    "sort" => _sort is not null ? Repeated(name) : Sort(field.Value, name),
                    _ => Shown(field.Name) is { } shown
                        ? GatewayError.Invalid($"'{param}.{shown}' is not a provider option. The options are {ProviderFields}.", $"{param}.{shown}")
                        : GatewayError.Invalid($"'{param}' has a key that is not a provider option. The options are {ProviderFields}.", param),
                };
                if (problem is not null)
                {
                    return problem;
                }
            }

            if (_allowFallbacks == false && _order is null)
            {
                return GatewayError.Invalid(
                    $"'{param}.allow_fallbacks' false allows only the deployments named in '{param}.order', so 'order' is required with it.",
                    $"{param}.allow_fallbacks");
            }

            if (_only is { } only && _ignore is { } ignore)
            {
                for (var i = 0; i < ignore.Length; i++)
                {
                    if (only.Contains(ignore[i], StringComparer.Ordinal))
                    {
                        return GatewayError.Invalid(
                            $"'{param}.ignore[{i}]' is also in '{param}.only': a deployment cannot be both one of the only ones used and never used.",
                            $"{param}.ignore[{i}]");
                    }
                }
            }

            return null;
        }

        private GatewayError? AllowFallbacks(JsonElement value, string param)
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return value.ValueKind == JsonValueKind.Null ? null : GatewayError.Invalid($"'{param}' must be true or false{Got(value)}.", param);
            }

            _allowFallbacks = value.ValueKind == JsonValueKind.True;
            return null;
        }

        private GatewayError? Sort(JsonElement value, string param)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            _sort = value.ValueKind != JsonValueKind.String ? null
                : value.ValueEquals("price"u8) ? RouteSort.Price
                : value.ValueEquals("latency"u8) ? RouteSort.Latency
                : null;
            return _sort is null ? GatewayError.Invalid($"'{param}' must be \"price\" or \"latency\"{Got(value)}.", param) : null;
        }

        private static GatewayError? Names(JsonElement value, string param, out ImmutableArray<string>? names)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                names = null;
                return null;
            }

            return List(value, param, MaxNames, "deployment name", "such as \"azure-tr\"", DeploymentName(), out names);
        }

        private static GatewayError? List(JsonElement value, string param, int max, string what, string example, Regex rule, out ImmutableArray<string>? items)
        {
            items = null;
            if (value.ValueKind != JsonValueKind.Array)
            {
                return GatewayError.Invalid($"'{param}' must be an array of 1 to {max} {what}s{Got(value)}.", param);
            }

            var count = value.GetArrayLength();
            if (count == 0 || count > max)
            {
                return GatewayError.Invalid($"'{param}' must hold 1 to {max} {what}s; it holds {count}.", param);
            }

            var list = ImmutableArray.CreateBuilder<string>(count);
            foreach (var item in value.EnumerateArray())
            {
                var at = $"{param}[{list.Count}]";
                if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } text || !rule.IsMatch(text))
                {
                    return GatewayError.Invalid($"'{at}' must be a {what} {example}{Got(item)}.", at);
                }

                if (list.IndexOf(text) is var first and >= 0)
                {
                    return GatewayError.Invalid($"'{at}' repeats '{param}[{first}]': list each {what} once.", at);
                }

                list.Add(text);
            }

            items = list.MoveToImmutable();
            return null;
        }

        private static GatewayError Repeated(string param) => GatewayError.Invalid($"'{param}' is given twice. Give it once.", param);
    }

    /// <summary>A short value as the client sent it (nothing for a long one: errors never echo a long value back).</summary>
    private static string Got(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 40 ? $"; got {raw}" : "";
    }

    /// <summary>A key the client sent, as it may be shown in an error: a short plain one as it is, anything else not at all (null).</summary>
    internal static string? Shown(string key) =>
        key.Length is > 0 and <= 40 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? key : null;
}
