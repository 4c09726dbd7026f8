using System.Globalization;
using System.Text;
using LlmTr.Modules.Gateway.Privacy;

namespace LlmTr.UnitTests.Privacy;

/// <summary>Issue 26: masking replaces every value with a typed placeholder, and restoring (streamed too) gives the text back.</summary>
public sealed class PersonalDataMaskShould
{
    private static readonly string[] Words =
        ["İstanbul", "ışık", "IŞIK", "çiçek", "ğ", "öğrenci", "şükran", "Üsküdar", "müşteri", "numarası", "ödeme", "tutar", "iade", "kimlik",
         "ve", "ile", "için", "TL", "no:", "(", ")", "-", ",", ".", "[", "]", "[TCKN", "_1]", "12.05.2024", "3,50", "1234", "0", "@", "a@b"];

    [Fact]
    public void MaskEveryValueWithATypedPlaceholderAndTheSameValueWithTheSamePlaceholder()
    {
        var mask = new PersonalDataMask();

        var masked = mask.Mask("TCKN 10000000146, IBAN TR330006100519786457841326; yine 10000000146 ve 12345678950, tel 0532 123 45 67.");

        Assert.Equal("TCKN [TCKN_1], IBAN [IBAN_1]; yine [TCKN_1] ve [TCKN_2], tel [PHONE_1].", masked);
        Assert.Equal(new Dictionary<PersonalDataKind, int> { [PersonalDataKind.Tckn] = 2, [PersonalDataKind.Iban] = 1, [PersonalDataKind.Phone] = 1 }, mask.Counts);
        Assert.Equal("Kimlik 10000000146 doğrulandı, [IBAN_9] ise yok.", mask.Restore("Kimlik [TCKN_1] doğrulandı, [IBAN_9] ise yok."));
    }

    [Fact]
    public void LeaveATextWithoutPersonalDataAsItIs()
    {
        var mask = new PersonalDataMask();
        const string text = "Fatura 12.05.2024 tarihinde 1.250,00 TL olarak kesildi [not: ödendi].";

        Assert.Same(text, mask.Mask(text));
        Assert.True(mask.IsEmpty);
        Assert.Equal(text, mask.Restore(text));
    }

    [Fact]
    public void RestoreAPlaceholderSplitAcrossStreamedChunks()
    {
        var mask = new PersonalDataMask();
        mask.Mask("IBAN TR330006100519786457841326");
        var stream = mask.Stream();

        var output = stream.Push("Hesabınız [IB") + stream.Push("AN_") + stream.Push("1] onaylandı [ama") + stream.Push(" bu değil]") + stream.Flush();

        Assert.Equal("Hesabınız TR330006100519786457841326 onaylandı [ama bu değil]", output);
    }

    [Fact]
    public void SendWhatCannotBeAPlaceholderAtOnce()
    {
        var mask = new PersonalDataMask();
        mask.Mask("10000000146");
        var stream = mask.Stream();

        Assert.Equal("Merhaba ", stream.Push("Merhaba [TC"));
        Assert.Equal("[TCKN dediğiniz", stream.Push("KN dediğiniz"));
        Assert.Equal("", stream.Flush());
    }

    // Property: over random Turkish text with random valid values, masking leaves no value the scanner finds, restoring
    // gives the text back exactly, and so does a streamed restore however the masked text is cut into chunks.
    [Fact]
    public void RoundTripRandomTurkishTextWhateverTheChunks()
    {
        for (var seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var text = RandomText(random);
            var mask = new PersonalDataMask(new PersonalNames(["Ayşe Yılmaz", "Işık"]));

            var masked = mask.Mask(text);

            Assert.Empty(TurkishPersonalData.Scan(masked, new PersonalNames(["Ayşe Yılmaz", "Işık"])));
            Assert.Equal(text, mask.Restore(masked));
            var stream = mask.Stream();
            var output = new StringBuilder();
            for (var at = 0; at < masked.Length;)
            {
                var length = Math.Min(masked.Length - at, random.Next(1, 12));
                output.Append(stream.Push(masked.Substring(at, length)));
                at += length;
            }

            output.Append(stream.Flush());
            Assert.True(text == output.ToString(), $"seed {seed}: streamed restore differs");
        }
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(5, 40); i > 0; i--)
        {
            text.Append(random.Next(6) switch
            {
                0 => Value(random),
                1 => random.Next(2) == 0 ? "Ayşe Yılmaz" : "IŞIK",
                _ => Words[random.Next(Words.Length)],
            });
            text.Append(random.Next(4) == 0 ? ", " : " ");
        }

        return text.ToString();
    }

    private static string Value(Random random) => random.Next(6) switch
    {
        0 => Tckn(random),
        1 => "TR330006100519786457841326",
        2 => "+90 5" + random.Next(10, 60).ToString(CultureInfo.InvariantCulture) + " " + random.Next(100, 1000).ToString(CultureInfo.InvariantCulture) + " 45 67",
        3 => $"kisi{random.Next(100)}@example.com.tr",
        4 => "4111 1111 1111 1111",
        _ => "34 ABC " + random.Next(10, 1000).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A valid T.C. kimlik numarası from nine random digits (the first not 0) and their two check digits.</summary>
    private static string Tckn(Random random)
    {
        var digits = new int[11];
        digits[0] = random.Next(1, 10);
        for (var i = 1; i < 9; i++)
        {
            digits[i] = random.Next(10);
        }

        var odd = digits[0] + digits[2] + digits[4] + digits[6] + digits[8];
        var even = digits[1] + digits[3] + digits[5] + digits[7];
        digits[9] = ((((odd * 7) - even) % 10) + 10) % 10;
        digits[10] = (odd + even + digits[9]) % 10;
        return string.Concat(digits);
    }
}
