using System.Globalization;

namespace LlmTr.Modules.Gateway.Privacy;

/// <summary>
/// Names an operator listed (people, say, or a company's customers): found as whole words, in any case, with Turkish
/// case rules (İ and i, I and ı are pairs; "IŞIK" is "ışık", never "isik"). Names are never guessed: only a list finds them.
/// </summary>
internal sealed class PersonalNames
{
    private static readonly CultureInfo Turkish = CultureInfo.GetCultureInfo("tr-TR");
    private readonly string[] _names;

    public PersonalNames(IEnumerable<string> names) =>
        _names = names.Select(n => Fold(n.Trim())).Where(n => n.Length > 1).Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length).ToArray();

    /// <summary>Adds every whole-word occurrence of a listed name in <paramref name="text"/> to <paramref name="found"/>.</summary>
    public void Scan(string text, List<PersonalDataMatch> found)
    {
        if (_names.Length == 0)
        {
            return;
        }

        var folded = Fold(text); // one character for one: Turkish lower-casing keeps every position
        foreach (var name in _names)
        {
            for (var at = folded.IndexOf(name, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(name, at + 1, StringComparison.Ordinal))
            {
                var end = at + name.Length;
                if ((at == 0 || !char.IsLetterOrDigit(folded[at - 1])) && (end == folded.Length || !char.IsLetterOrDigit(folded[end])))
                {
                    found.Add(new PersonalDataMatch(PersonalDataKind.Name, at, name.Length));
                }
            }
        }
    }

    private static string Fold(string text) => text.ToLower(Turkish);
}
