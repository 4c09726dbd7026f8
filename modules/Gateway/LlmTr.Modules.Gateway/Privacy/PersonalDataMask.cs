using System.Globalization;
using System.Text;

namespace LlmTr.Modules.Gateway.Privacy;

/// <summary>
/// One request's masking: each personal value in the texts the provider receives becomes a typed placeholder
/// (<c>[TCKN_1]</c>, <c>[IBAN_2]</c>, …; the same value always the same placeholder), and the placeholders in the answer
/// become the values again. The mapping lives in this object only, for the request's lifetime: it is never stored.
/// Not thread-safe: one request's texts are masked one after another.
/// </summary>
internal sealed class PersonalDataMask(PersonalNames? names = null)
{
    /// <summary>The longest placeholder this mask can write ("[PHONE_" + up to 6 digits + "]").</summary>
    public const int LongestPlaceholder = 14;

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal); // placeholder → value
    private readonly Dictionary<(PersonalDataKind, string), string> _placeholders = []; // value → placeholder
    private readonly int[] _counts = new int[Enum.GetValues<PersonalDataKind>().Length];

    /// <summary>How many distinct values of each kind were masked (never the values themselves).</summary>
    public IReadOnlyDictionary<PersonalDataKind, int> Counts =>
        Enum.GetValues<PersonalDataKind>().Where(k => _counts[(int)k] > 0).ToDictionary(k => k, k => _counts[(int)k]);

    public bool IsEmpty => _values.Count == 0;

    /// <summary>The text with every personal value replaced by its placeholder (the same text when there is none).</summary>
    public string Mask(string text)
    {
        var matches = TurkishPersonalData.Scan(text, names);
        if (matches.Count == 0)
        {
            return text;
        }

        var masked = new StringBuilder(text.Length);
        var at = 0;
        foreach (var match in matches)
        {
            masked.Append(text, at, match.Start - at).Append(PlaceholderFor(match.Kind, text.Substring(match.Start, match.Length)));
            at = match.End;
        }

        return masked.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>The text with every placeholder of this mask replaced by its value; anything else is left as it is.</summary>
    public string Restore(string text)
    {
        if (_values.Count == 0 || !text.Contains('[', StringComparison.Ordinal))
        {
            return text;
        }

        var restored = new StringBuilder(text.Length);
        var at = 0;
        for (var open = text.IndexOf('['); open >= 0; open = text.IndexOf('[', open + 1))
        {
            var close = text.IndexOf(']', open + 1);
            if (close < 0 || close - open + 1 > LongestPlaceholder)
            {
                continue;
            }

            if (_values.TryGetValue(text.Substring(open, close - open + 1), out var value))
            {
                restored.Append(text, at, open - at).Append(value);
                at = close + 1;
                open = close;
            }
        }

        return restored.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>A restorer for a streamed answer, whose placeholders may be split across chunks.</summary>
    public StreamRestorer Stream() => new(this);

    private string PlaceholderFor(PersonalDataKind kind, string value)
    {
        if (!_placeholders.TryGetValue((kind, value), out var placeholder))
        {
            var number = ++_counts[(int)kind];
            placeholder = string.Create(CultureInfo.InvariantCulture, $"[{Word(kind)}_{number}]");
            _placeholders[(kind, value)] = placeholder;
            _values[placeholder] = value;
        }

        return placeholder;
    }

    private static string Word(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Tckn => "TCKN",
        PersonalDataKind.Vkn => "VKN",
        PersonalDataKind.Iban => "IBAN",
        PersonalDataKind.Card => "CARD",
        PersonalDataKind.Phone => "PHONE",
        PersonalDataKind.Email => "EMAIL",
        PersonalDataKind.Plate => "PLATE",
        _ => "NAME",
    };

    /// <summary>
    /// Restores a streamed answer chunk by chunk. What could still be the start of a placeholder (an open bracket with
    /// no closing one yet, within a placeholder's length of the end) is held back until the next chunk decides it, so a
    /// placeholder split across chunks is restored whole and nothing else is delayed.
    /// </summary>
    internal sealed class StreamRestorer(PersonalDataMask mask)
    {
        private string _held = "";

        /// <summary>What can be sent now for this chunk (possibly empty).</summary>
        public string Push(string chunk)
        {
            var text = _held.Length == 0 ? chunk : _held + chunk;
            var open = text.LastIndexOf('[');
            if (open >= 0 && text.IndexOf(']', open) < 0 && text.Length - open < LongestPlaceholder)
            {
                _held = text[open..];
                return mask.Restore(text[..open]);
            }

            _held = "";
            return mask.Restore(text);
        }

        /// <summary>What is left at the end of the stream.</summary>
        public string Flush()
        {
            var rest = _held;
            _held = "";
            return rest;
        }
    }
}
