using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmTr.Modules.Gateway.Audio;

/// <summary>
/// How long audio is, from what the gateway can read without decoding it: a WAV file's header, or the last timestamp
/// of SRT/VTT subtitles. Used to bill transcription per audio minute when the provider does not say.
/// </summary>
internal static partial class AudioDuration
{
    /// <summary>Seconds of audio in a RIFF/WAVE file (data size ÷ byte rate), or null when it is not one.</summary>
    public static double? OfWav(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            return null;
        }

        uint byteRate = 0;
        var offset = 12;
        while (offset + 8 <= file.Length)
        {
            var id = file.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(offset + 4, 4));
            if (id.SequenceEqual("fmt "u8) && offset + 16 <= file.Length)
            {
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(offset + 16, 4));
            }
            else if (id.SequenceEqual("data"u8))
            {
                var available = Math.Min(size, (uint)(file.Length - offset - 8));
                return byteRate > 0 ? available / (double)byteRate : null;
            }

            offset += 8 + (int)Math.Min(size + (size & 1), int.MaxValue - offset - 8);
        }

        return null;
    }

    /// <summary>The end of the last cue in SRT or VTT subtitles, in seconds, or null when there is none.</summary>
    public static double? OfSubtitles(string subtitles)
    {
        double? last = null;
        foreach (Match match in CueEnd().Matches(subtitles))
        {
            var hours = match.Groups["h"].Success ? int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
            last = (hours * 3600) + (int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) * 60)
                + int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) + (int.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture) / 1000.0);
        }

        return last;
    }

    [GeneratedRegex(@"-->\s*(?:(?<h>\d+):)?(?<m>\d{2}):(?<s>\d{2})[,.](?<ms>\d{3})")]
    private static partial Regex CueEnd();
}
