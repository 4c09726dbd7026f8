using System.Text.Unicode;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// Two faults System.Text.Json lets through when it parses and only throws on when a string is read later: bytes
/// that are not UTF-8, and a <c>\uXXXX</c> escape that is half of a surrogate pair. A body is checked once, after it
/// parsed, so such a request is a 400 like any other malformed JSON instead of failing wherever a string is first read.
/// Both checks are vectorised scans of the body and allocate nothing.
/// </summary>
internal static class JsonText
{
    /// <summary>What is wrong with the text of a body that parsed as JSON, or null.</summary>
    public static string? Problem(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return "it holds bytes that are not UTF-8";
        }

        var at = json.IndexOf((byte)'\\');
        while (at >= 0)
        {
            // The body parsed, so every backslash starts a complete escape inside a string.
            var next = at + 2;
            if (json[at + 1] == 'u')
            {
                var code = Hex(json.Slice(at + 2, 4));
                next = at + 6;
                if (code is >= 0xD800 and <= 0xDBFF)
                {
                    if (next + 6 > json.Length || json[next] != '\\' || json[next + 1] != 'u' || Hex(json.Slice(next + 2, 4)) is < 0xDC00 or > 0xDFFF)
                    {
                        return "a \\u escape is half of a surrogate pair";
                    }

                    next += 6;
                }
                else if (code is >= 0xDC00 and <= 0xDFFF)
                {
                    return "a \\u escape is half of a surrogate pair";
                }
            }

            var rest = json[next..].IndexOf((byte)'\\');
            at = rest < 0 ? -1 : next + rest;
        }

        return null;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value << 4) | (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        }

        return value;
    }
}
