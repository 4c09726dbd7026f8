namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// Tool call ids as Anthropic accepts them (letters, digits, '_' and '-'). Ids Claude made pass unchanged; an id another
/// provider made (a conversation that moved between models) has other characters replaced, the same way on the
/// <c>tool_use</c> and on its <c>tool_result</c>, so the pair still matches.
/// </summary>
internal static class AnthropicToolIds
{
    public static string Of(string id)
    {
        if (id.Length > 0 && !id.AsSpan().ContainsAnyExcept(Allowed))
        {
            return id;
        }

        return id.Length == 0 ? "_" : string.Create(id.Length, id, static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = Allowed.Contains(source[i]) ? source[i] : '_';
            }
        });
    }

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
}
