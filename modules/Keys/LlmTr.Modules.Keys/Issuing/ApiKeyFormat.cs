using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace LlmTr.Modules.Keys.Issuing;

/// <summary>
/// <c>llmtr-</c> and 32 random bytes, base64url: 43 characters of 256-bit secret. Stored only as an HMAC-SHA256 under a
/// server secret, so a copy of the database alone cannot confirm a guessed key.
/// </summary>
internal static class ApiKeyFormat
{
    public const string Prefix = "llmtr-";
    private const int SecretBytes = 32;
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(SecretBytes);

    public static string NewRawKey() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>Shape only: the prefix and the right number of base64url characters. Cheap, and done before any lookup.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key) =>
        key.Length == Prefix.Length + EncodedLength
        && key.StartsWith(Prefix, StringComparison.Ordinal)
        && Base64Url.IsValid(key[Prefix.Length..]);

    /// <summary>A non-secret reminder of which key this is: the prefix, a few characters, and the last four.</summary>
    public static string Preview(string rawKey) => $"{rawKey[..(Prefix.Length + 4)]}…{rawKey[^4..]}";

    public static byte[] Hash(ReadOnlySpan<char> rawKey, byte[] serverSecret)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(rawKey.Length)];
        var written = Encoding.UTF8.GetBytes(rawKey, utf8);
        return HMACSHA256.HashData(serverSecret, utf8[..written]);
    }
}
