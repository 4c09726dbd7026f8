using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmTr.Modules.Gateway.Privacy;

/// <summary>The kinds of Turkish personal data the KVKK guard finds.</summary>
internal enum PersonalDataKind
{
    /// <summary>T.C. kimlik numarası: 11 digits, both check digits right.</summary>
    Tckn,

    /// <summary>Vergi kimlik numarası: 10 digits, its check digit right.</summary>
    Vkn,

    /// <summary>A Turkish IBAN (TR and 24 digits), ISO 13616 mod-97 right.</summary>
    Iban,

    /// <summary>A payment card number: 13 to 19 digits, Luhn right, a known card network's prefix.</summary>
    Card,

    /// <summary>A Turkish mobile or landline number, with or without +90 or 0, in its usual spellings.</summary>
    Phone,

    /// <summary>An e-mail address.</summary>
    Email,

    /// <summary>A Turkish vehicle licence plate (province 01–81, one to three letters, two to four digits).</summary>
    Plate,

    /// <summary>A name from the list an operator configured.</summary>
    Name,
}

/// <summary>One value found: where it is in the text and what it is.</summary>
internal readonly record struct PersonalDataMatch(PersonalDataKind Kind, int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// Finds Turkish personal data in text. Every number is validated, not only shaped: a T.C. kimlik numarası whose check
/// digits fail, an IBAN whose mod-97 fails or a card whose Luhn digit fails is not personal data here, and no number is
/// taken from inside a longer run of digits. Where two finds overlap, the longer one wins.
/// </summary>
internal static partial class TurkishPersonalData
{
    /// <summary>Every find in <paramref name="text"/>, in order and without overlaps; <paramref name="names"/> when configured.</summary>
    public static List<PersonalDataMatch> Scan(string text, PersonalNames? names = null)
    {
        var found = new List<PersonalDataMatch>();
        foreach (Match match in Numbers().Matches(text))
        {
            if (Classify(match) is { } kind)
            {
                found.Add(new PersonalDataMatch(kind, match.Index, match.Length));
            }
        }

        Emails(text, found);
        names?.Scan(text, found);
        return Resolve(found);
    }

    /// <summary>
    /// Candidates with digits: an IBAN, a plate, or a run of digits with the separators people type in phone and card
    /// numbers (spaces, dashes, dots, parentheses, a leading + or 00), never touching another digit or letter.
    /// </summary>
    [GeneratedRegex("""
        (?<![\p{L}\p{N}@._%+-])(?:
          (?<iban>[Tt][Rr]\d{2}(?:\ ?\d{4}){5}\ ?\d{2})
        | (?<plate>(?:0[1-9]|[1-7]\d|8[01])\ ?[A-PR-VYZ]{1,3}\ ?\d{2,4})
        | (?<number>(?:\+|00)?\(?\d(?:[\ \-.]?\(?\)?\ ?\d){8,22})
        )(?![\p{L}\p{N}]|[.,]\d|@)
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant)]
    private static partial Regex Numbers();

    private static PersonalDataKind? Classify(Match match)
    {
        if (match.Groups["iban"].Success)
        {
            return IsIban(match.ValueSpan) ? PersonalDataKind.Iban : null;
        }

        if (match.Groups["plate"].Success)
        {
            return IsPlate(match.ValueSpan) ? PersonalDataKind.Plate : null;
        }

        Span<char> digits = stackalloc char[32];
        var count = 0;
        var plus = false;
        foreach (var c in match.ValueSpan)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return null;
                }

                digits[count++] = c;
            }
            else if (c == '+')
            {
                plus = true;
            }
        }

        var number = digits[..count];
        var separated = count != match.Length;
        if (!separated && IsTckn(number))
        {
            return PersonalDataKind.Tckn;
        }

        if (!separated && IsVkn(number))
        {
            return PersonalDataKind.Vkn;
        }

        if (IsPhone(number, plus, separated))
        {
            return PersonalDataKind.Phone;
        }

        return !plus && IsCard(number) ? PersonalDataKind.Card : null;
    }

    /// <summary>T.C. kimlik numarası: 11 digits, the first not 0; the 10th and 11th are check digits of the others.</summary>
    public static bool IsTckn(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 11 || digits[0] == '0' || !AllDigits(digits))
        {
            return false;
        }

        int odd = 0, even = 0;
        for (var i = 0; i < 9; i += 2)
        {
            odd += digits[i] - '0';
        }

        for (var i = 1; i < 8; i += 2)
        {
            even += digits[i] - '0';
        }

        var tenth = ((((odd * 7) - even) % 10) + 10) % 10;
        return tenth == digits[9] - '0' && (odd + even + tenth) % 10 == digits[10] - '0';
    }

    /// <summary>Vergi kimlik numarası: 10 digits, the last a check digit of the first nine (the revenue administration's rule).</summary>
    public static bool IsVkn(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 10 || !AllDigits(digits))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var shifted = (digits[i] - '0' + 9 - i) % 10;
            var weighted = shifted * (1 << (9 - i)) % 9;
            sum += shifted != 0 && weighted == 0 ? 9 : weighted;
        }

        return (10 - (sum % 10)) % 10 == digits[9] - '0';
    }

    /// <summary>A Turkish IBAN: TR, two check digits and 22 digits (spaces allowed); mod-97 of the rearranged number is 1.</summary>
    public static bool IsIban(ReadOnlySpan<char> text)
    {
        Span<char> compact = stackalloc char[26];
        var length = 0;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                continue;
            }

            if (length == compact.Length)
            {
                return false;
            }

            compact[length++] = char.ToUpperInvariant(c);
        }

        if (length != 26 || compact[0] != 'T' || compact[1] != 'R' || !AllDigits(compact[2..length]))
        {
            return false;
        }

        // The country and check digits move to the end, and each letter becomes two digits (T = 29, R = 27).
        var remainder = 0;
        foreach (var c in compact[4..])
        {
            remainder = ((remainder * 10) + (c - '0')) % 97;
        }

        remainder = ((remainder * 100) + 29) % 97;
        remainder = ((remainder * 100) + 27) % 97;
        remainder = ((remainder * 10) + (compact[2] - '0')) % 97;
        remainder = ((remainder * 10) + (compact[3] - '0')) % 97;
        return remainder == 1;
    }

    /// <summary>
    /// A Turkish phone number: ten national digits after +90, 0090 or a trunk 0, or alone. Mobile numbers are 5xx and
    /// area codes 2xx, 3xx or 4xx (none starts 20, 30 or 40). Ten bare digits typed without a break are taken for a
    /// phone only when mobile: an order or account number is likelier than a landline written that way.
    /// </summary>
    public static bool IsPhone(ReadOnlySpan<char> digits, bool plus = false, bool separated = false)
    {
        ReadOnlySpan<char> national;
        var prefixed = true;
        if (plus)
        {
            if (digits.Length != 12 || !digits.StartsWith("90"))
            {
                return false;
            }

            national = digits[2..];
        }
        else if (digits.Length == 14 && digits.StartsWith("0090"))
        {
            national = digits[4..];
        }
        else if (digits.Length == 11 && digits[0] == '0')
        {
            national = digits[1..];
        }
        else if (digits.Length == 10)
        {
            national = digits;
            prefixed = false;
        }
        else
        {
            return false;
        }

        return national[0] == '5' || ((prefixed || separated) && national[0] is >= '2' and <= '4' && national[1] != '0');
    }

    /// <summary>A payment card number: Luhn right, and a prefix of Visa, Mastercard, American Express, Troy, Discover or UnionPay.</summary>
    public static bool IsCard(ReadOnlySpan<char> digits)
    {
        if (digits.Length is < 13 or > 19 || !AllDigits(digits))
        {
            return false;
        }

        var known = digits[0] == '4'
            || (digits[0] == '5' && digits[1] is >= '1' and <= '5')
            || (digits[0] == '2' && int.Parse(digits[..4], CultureInfo.InvariantCulture) is >= 2221 and <= 2720)
            || (digits[0] == '3' && digits[1] is '4' or '7')
            || digits.StartsWith("9792") // Troy
            || digits[0] == '6';
        if (!known)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    /// <summary>
    /// A Turkish plate: province 01–81, then one letter and four digits, two letters and three or four digits, or three
    /// letters and two or three digits (Q, W, X and the Turkish letters are never used).
    /// </summary>
    public static bool IsPlate(ReadOnlySpan<char> text)
    {
        Span<char> compact = stackalloc char[12];
        var length = 0;
        foreach (var c in text)
        {
            if (c != ' ')
            {
                if (length == compact.Length)
                {
                    return false;
                }

                compact[length++] = c;
            }
        }

        var plate = compact[..length];
        var letters = 0;
        while (2 + letters < plate.Length && char.IsAsciiLetterUpper(plate[2 + letters]))
        {
            letters++;
        }

        var digits = plate.Length - 2 - letters;
        return AllDigits(plate[..2]) && AllDigits(plate[(2 + letters)..]) && (letters, digits) is (1, 4) or (2, 3) or (2, 4) or (3, 2) or (3, 3);
    }

    /// <summary>E-mail addresses, found from each @ outwards (cheaper than a pattern tried at every letter).</summary>
    private static void Emails(string text, List<PersonalDataMatch> found)
    {
        for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            var start = at;
            while (start > 0 && IsLocal(text[start - 1]))
            {
                start--;
            }

            var end = at + 1;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '-' or '.'))
            {
                end++;
            }

            while (end > at + 1 && text[end - 1] is '.' or '-')
            {
                end--; // a sentence's full stop after the address is not part of it
            }

            var lastDot = end > at + 1 ? text.LastIndexOf('.', end - 1, end - at - 1) : -1;
            if (start < at && text[start] != '.' && lastDot > at + 1 && end - lastDot - 1 >= 2 && AllLetters(text.AsSpan(lastDot + 1, end - lastDot - 1)))
            {
                found.Add(new PersonalDataMatch(PersonalDataKind.Email, start, end - start));
            }
        }

        static bool IsLocal(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';
    }

    /// <summary>Orders the finds and drops any that overlaps a longer one.</summary>
    private static List<PersonalDataMatch> Resolve(List<PersonalDataMatch> found)
    {
        if (found.Count < 2)
        {
            return found;
        }

        found.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var kept = new List<PersonalDataMatch>(found.Count);
        foreach (var match in found)
        {
            if (kept.Count > 0 && match.Start < kept[^1].End)
            {
                if (match.Length > kept[^1].Length)
                {
                    kept[^1] = match;
                }

                continue;
            }

            kept.Add(match);
        }

        return kept;
    }

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    private static bool AllLetters(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}
