namespace LlmTr.IntegrationTests.Gateway;

/// <summary>Audio files for upload tests.</summary>
internal static class TestAudio
{
    /// <summary>A mono 16-bit PCM WAV file at 8 kHz (16,000 bytes a second) of silence.</summary>
    public static byte[] Wav(int seconds)
    {
        var data = 16_000 * seconds;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + data);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1); // PCM
        writer.Write((short)1); // mono
        writer.Write(8_000);
        writer.Write(16_000);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(data);
        writer.Write(new byte[data]);
        writer.Flush();
        return stream.ToArray();
    }
}
