using System.Text;
using BenchmarkDotNet.Attributes;
using LlmTr.Modules.Gateway.Privacy;

namespace LlmTr.Bench.Micro;

/// <summary>
/// The KVKK guard's scan over 1 KB of Turkish text: with no personal data (the common case), and with six values;
/// masking (scan and placeholders) the same text. The goal is at most 20 µs per KB on one core.
/// </summary>
[MemoryDiagnoser]
public class PrivacyBenchmarks
{
    private string _plain = null!;
    private string _personal = null!;

    [GlobalSetup]
    public void Setup()
    {
        const string sentence = "Müşterimiz İstanbul Üsküdar şubesinden 12.05.2024 tarihinde 1.250,00 TL tutarında ödeme yaptı; iade talebi yok. ";
        _plain = Fill(new StringBuilder(), sentence).ToString();
        var personal = new StringBuilder("Ayşe (T.C. 10000000146, tel +90 532 123 45 67, ayse@example.com.tr) IBAN TR330006100519786457841326, ")
            .Append("kart 4111 1111 1111 1111, araç 34 ABC 123. ");
        _personal = Fill(personal, sentence).ToString();
    }

    [Benchmark(Baseline = true)]
    public int ScanOneKilobyteWithoutPersonalData() => TurkishPersonalData.Scan(_plain).Count;

    [Benchmark]
    public int ScanOneKilobyteWithSixValues() => TurkishPersonalData.Scan(_personal).Count;

    [Benchmark]
    public int MaskOneKilobyteWithSixValues() => new PersonalDataMask().Mask(_personal).Length;

    private static StringBuilder Fill(StringBuilder text, string sentence)
    {
        while (text.Length < 1024)
        {
            text.Append(sentence);
        }

        text.Length = 1024;
        return text;
    }
}
