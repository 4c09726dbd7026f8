using LlmTr.Modules.Gateway.Audio;

namespace LlmTr.UnitTests.Gateway;

public sealed class AudioDurationShould
{
    [Fact]
    public void ReadAWavFilesLengthFromItsHeader()
    {
        // 44-byte header: 16,000 bytes a second, 40,000 bytes of data → 2.5 s.
        var wav = new byte[44 + 40_000];
        "RIFF"u8.CopyTo(wav);
        BitConverter.GetBytes(36 + 40_000).CopyTo(wav, 4);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BitConverter.GetBytes(16).CopyTo(wav, 16);
        BitConverter.GetBytes(16_000).CopyTo(wav, 28);
        "data"u8.CopyTo(wav.AsSpan(36));
        BitConverter.GetBytes(40_000).CopyTo(wav, 40);

        Assert.Equal(2.5, AudioDuration.OfWav(wav));
    }

    [Fact]
    public void GiveNoLengthForAFileThatIsNotWav() =>
        Assert.Null(AudioDuration.OfWav([0xFF, 0xFB, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]));

    [Theory]
    [InlineData("1\n00:00:00,000 --> 00:00:02,500\nMerhaba\n\n2\n00:00:02,500 --> 01:02:03,250\ndünya\n", 3723.25)]
    [InlineData("WEBVTT\n\n00:01.000 --> 00:04.500\nMerhaba\n", 4.5)]
    public void TakeTheEndOfTheLastSubtitleCue(string subtitles, double seconds) =>
        Assert.Equal(seconds, AudioDuration.OfSubtitles(subtitles));

    [Fact]
    public void GiveNoLengthForTextWithoutCues() => Assert.Null(AudioDuration.OfSubtitles("Merhaba dünya"));
}
