using System.Security.Cryptography;

namespace LlmTr.Host;

/// <summary>
/// The git-ignored folder where the run command keeps what a local installation needs between runs: the PostgreSQL
/// cluster and generated local secrets. By default <c>.local/</c> at the root of the checkout the host was built from.
/// </summary>
internal sealed class LocalState(string directory)
{
    public string Directory { get; } = directory;

    public static LocalState Resolve(IConfiguration configuration)
    {
        var configured = configuration["LocalState:Directory"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new LocalState(Path.GetFullPath(configured));
        }

        var checkout = FindCheckoutRoot(AppContext.BaseDirectory) ?? FindCheckoutRoot(System.IO.Directory.GetCurrentDirectory());
        return new LocalState(checkout is not null
            ? Path.Combine(checkout, ".local")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "llmtr"));
    }

    /// <summary>Reads a generated secret, creating it (readable by this user only) on first use.</summary>
    public string ReadOrCreateSecret(string name, Func<string> generate)
    {
        var path = Path.Combine(Directory, name);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        System.IO.Directory.CreateDirectory(Directory);
        var secret = generate();
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }

    public static string RandomToken(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? FindCheckoutRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlmTr.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
