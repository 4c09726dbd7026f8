namespace LlmTr.Modules.Keys.Issuing;

/// <summary>
/// The server secret keys are hashed under (<c>Keys:HashSecret</c>, base64, at least 32 bytes). Every host of one
/// installation must share it. A serving host checks it at start (<see cref="KeyHashSecretValidation"/>), so a missing or
/// unusable secret stops the host with its name instead of failing every keyed request; commands read it on first use.
/// </summary>
internal sealed class KeyHashSecret(Func<string?> configured)
{
    private readonly Lazy<(byte[]? Bytes, string? Problem)> _value = new(() => Read(configured()));

    public byte[] Value => _value.Value.Bytes ?? throw new InvalidOperationException(_value.Value.Problem);

    /// <summary>Why the secret cannot be used, naming the setting; null when it can.</summary>
    public string? Problem => _value.Value.Problem;

    private static (byte[]? Bytes, string? Problem) Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "Keys:HashSecret is not set: give every host the same base64 secret of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) && written >= 32
            ? (bytes[..written], null)
            : (null, "Keys:HashSecret must be base64 of at least 32 bytes.");
    }
}
