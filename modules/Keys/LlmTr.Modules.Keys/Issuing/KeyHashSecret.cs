namespace LlmTr.Modules.Keys.Issuing;

/// <summary>
/// The server secret keys are hashed under (<c>Keys:HashSecret</c>, base64, at least 32 bytes). Every host of one
/// installation must share it. Read on first use, so a host that never handles keys does not need it.
/// </summary>
internal sealed class KeyHashSecret(Func<string?> configured)
{
    private readonly Lazy<byte[]> _value = new(() =>
    {
        var text = configured() ?? throw new InvalidOperationException(
            "Keys:HashSecret is not set: give every host the same base64 secret of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) && written >= 32
            ? bytes[..written]
            : throw new InvalidOperationException("Keys:HashSecret must be base64 of at least 32 bytes.");
    });

    public byte[] Value => _value.Value;
}
