using LlmTr.Modules.Gateway.Privacy;

namespace LlmTr.UnitTests.Privacy;

/// <summary>Issue 26: Turkish personal data is found only when valid, never from inside a longer number.</summary>
public sealed class TurkishPersonalDataShould
{
    [Theory]
    [InlineData("T.C. kimlik no: 10000000146.", "Tckn", "10000000146")]
    [InlineData("TCKN 12345678950 kayıtlı", "Tckn", "12345678950")]
    [InlineData("Vergi no 9876543217", "Vkn", "9876543217")]
    [InlineData("IBAN: TR33 0006 1005 1978 6457 8413 26, teşekkürler", "Iban", "TR33 0006 1005 1978 6457 8413 26")]
    [InlineData("iban tr330006100519786457841326", "Iban", "tr330006100519786457841326")]
    [InlineData("Kart 4111 1111 1111 1111 ile", "Card", "4111 1111 1111 1111")]
    [InlineData("kart: 4111-1111-1111-1111", "Card", "4111-1111-1111-1111")]
    [InlineData("Troy 9792030000000000", "Card", "9792030000000000")]
    [InlineData("Amex 378282246310005", "Card", "378282246310005")]
    [InlineData("Ara: +90 532 123 45 67", "Phone", "+90 532 123 45 67")]
    [InlineData("Tel 0532 123 45 67.", "Phone", "0532 123 45 67")]
    [InlineData("tel: 0 (532) 123-45-67", "Phone", "0 (532) 123-45-67")]
    [InlineData("05321234567'yi ara", "Phone", "05321234567")]
    [InlineData("cep 5321234567", "Phone", "5321234567")]
    [InlineData("Ofis (0212) 555 12 34", "Phone", "(0212) 555 12 34")]
    [InlineData("Ofis 0212 555 12 34", "Phone", "0212 555 12 34")]
    [InlineData("+90 (312) 444-55-66 numarası", "Phone", "+90 (312) 444-55-66")]
    [InlineData("0090 532 123 45 67", "Phone", "0090 532 123 45 67")]
    [InlineData("Yazın: ayse.yilmaz@example.com.tr.", "Email", "ayse.yilmaz@example.com.tr")]
    [InlineData("<şükrü@örnek.com.tr>", "Email", "şükrü@örnek.com.tr")]
    [InlineData("Araç 34 ABC 123 plakalı", "Plate", "34 ABC 123")]
    [InlineData("06 A 1234 otoparkta", "Plate", "06 A 1234")]
    [InlineData("plaka 34AB1234", "Plate", "34AB1234")]
    public void FindAValidValueWhereItIs(string text, string kind, string value)
    {
        var match = Assert.Single(TurkishPersonalData.Scan(text));

        Assert.Equal(kind, match.Kind.ToString());
        Assert.Equal(value, text.Substring(match.Start, match.Length));
    }

    [Theory]
    [InlineData("T.C. 10000000147")] // the 11th digit is wrong
    [InlineData("T.C. 10000000156")] // the 10th digit is wrong
    [InlineData("T.C. 01234567890")] // a T.C. kimlik numarası never starts with 0 (and this is no phone)
    [InlineData("vergi 9876543210")] // wrong check digit, and not a mobile number
    [InlineData("TR34 0006 1005 1978 6457 8413 26")] // mod-97 fails
    [InlineData("kart 4111 1111 1111 1112")] // Luhn fails
    [InlineData("kart 1234 5678 9012 3452")] // no card network starts with 1
    [InlineData("sipariş 98765432101234567")] // 17 digits: no kind, and nothing taken from inside it
    [InlineData("no 210000000146")] // a valid T.C. kimlik numarası inside a longer run of digits
    [InlineData("ref10000000146")] // glued to a word
    [InlineData("10000000146abc")]
    [InlineData("tutar 10000000146,50 TL")] // a decimal amount
    [InlineData("3124445566")] // ten bare digits: taken for a phone only when mobile (and no valid vergi kimlik numarası)
    [InlineData("0532 123 45 678")] // one digit too many
    [InlineData("34 Q 1234")] // Q is never used on plates
    [InlineData("99 ABC 123")] // no province 99
    [InlineData("34 ABCD 12")] // four letters
    [InlineData("tarih 12.05.2024 saat 10.30")]
    [InlineData("pi 3.14159265358979")]
    [InlineData("adres @example.com ya da user@ ya da a@b")]
    public void FindNothingInvalid(string text) => Assert.Empty(TurkishPersonalData.Scan(text));

    [Fact]
    public void FindEveryValueOfAMixedTextInOrderWithoutOverlaps()
    {
        const string text = "Ayşe (TCKN 10000000146, tel +90 532 123 45 67, e-posta ayse@example.com) IBAN TR330006100519786457841326 ile ödedi; araç 34 ABC 123.";

        var matches = TurkishPersonalData.Scan(text);

        Assert.Equal([PersonalDataKind.Tckn, PersonalDataKind.Phone, PersonalDataKind.Email, PersonalDataKind.Iban, PersonalDataKind.Plate], matches.Select(m => m.Kind));
        for (var i = 1; i < matches.Count; i++)
        {
            Assert.True(matches[i].Start >= matches[i - 1].End);
        }
    }

    [Fact]
    public void FindListedNamesAsWholeWordsWithTurkishCaseRules()
    {
        var names = new PersonalNames(["Işık", "İpek Yılmaz", "Ali"]);
        const string text = "IŞIK BEY ile ipek yılmaz konuştu; Alican ve Isik değil, ALİ evet.";

        var found = TurkishPersonalData.Scan(text, names).Select(m => text.Substring(m.Start, m.Length)).ToList();

        Assert.Equal(["IŞIK", "ipek yılmaz", "ALİ"], found);
    }

    [Theory]
    [InlineData("10000000146", true)]
    [InlineData("12345678950", true)]
    [InlineData("38452961020", true)]
    [InlineData("38452961021", false)]
    [InlineData("00000000000", false)]
    public void CheckBothDigitsOfATcKimlikNumarasi(string digits, bool valid) => Assert.Equal(valid, TurkishPersonalData.IsTckn(digits));

    [Theory]
    [InlineData("1234567890", true)]
    [InlineData("9876543217", true)]
    [InlineData("0000000001", true)]
    [InlineData("1234567891", false)]
    public void CheckTheDigitOfAVergiKimlikNumarasi(string digits, bool valid) => Assert.Equal(valid, TurkishPersonalData.IsVkn(digits));
}
