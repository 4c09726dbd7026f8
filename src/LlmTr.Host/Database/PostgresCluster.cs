using System.ComponentModel;
using System.Diagnostics;

namespace LlmTr.Host.Database;

/// <summary>
/// A PostgreSQL cluster in a folder of its own, driven through initdb and pg_ctl. The run command keeps one under the
/// checkout (durable, password-protected); the test suite makes a throwaway one (trust, no fsync).
/// PostgreSQL refuses to run as root, so as root the cluster's folder belongs to, and its tools run as, the postgres user.
/// It listens on 127.0.0.1 only, without a Unix socket, so that a long checkout path cannot break it.
/// </summary>
internal sealed class PostgresCluster(PostgresClusterSettings settings)
{
    private const string ServiceUser = "postgres";

    public PostgresClusterSettings Settings => settings;

    private string DataDirectory => Path.Combine(settings.Directory, "data");

    private string LogFile => Path.Combine(settings.Directory, "postgres.log");

    public bool IsInitialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={settings.Port};Database={database};Username={ServiceUser}"
        + (settings.Password is null ? string.Empty : $";Password={settings.Password}");

    public void Initialize()
    {
        Directory.CreateDirectory(settings.Directory);
        LetServiceUserReach(settings.Directory);
        GiveToServiceUser(settings.Directory);
        string? passwordFile = null;
        try
        {
            List<string> arguments = ["-D", DataDirectory, "-U", ServiceUser, "-E", "UTF8", "--locale=C.UTF-8"];
            if (settings.Password is null)
            {
                arguments.AddRange(["-A", "trust"]);
            }
            else
            {
                passwordFile = Path.Combine(settings.Directory, ".initdb-password");
                File.WriteAllText(passwordFile, settings.Password);
                GiveToServiceUser(passwordFile);
                arguments.AddRange(["--auth-local=peer", "--auth-host=scram-sha-256", "--pwfile", passwordFile]);
            }

            if (!settings.Durable)
            {
                arguments.Add("--no-sync");
            }

            RunTool("initdb", arguments);
        }
        finally
        {
            if (passwordFile is not null)
            {
                File.Delete(passwordFile);
            }
        }
    }

    public bool IsRunning() => RunTool("pg_ctl", ["status", "-D", DataDirectory], allowFailure: true) == 0;

    public void Start()
    {
        LetServiceUserReach(settings.Directory);
        var serverOptions = $"-p {settings.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
        if (!settings.Durable)
        {
            // A throwaway cluster serves a whole test process: many hosts side by side, each with its own pools.
            serverOptions += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        }

        RunTool("pg_ctl", ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile, "-o", serverOptions]);
    }

    public void Stop(bool immediate = false) =>
        RunTool("pg_ctl", ["stop", "-w", "-t", "60", "-m", immediate ? "immediate" : "fast", "-D", DataDirectory], allowFailure: true);

    /// <summary>The folder holding initdb and pg_ctl: Debian's versioned folder, else whatever is on PATH.</summary>
    public static string? FindBinDirectory()
    {
        var debian = new DirectoryInfo("/usr/lib/postgresql");
        if (debian.Exists)
        {
            var newest = debian.GetDirectories()
                .Where(d => File.Exists(Path.Combine(d.FullName, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(d.Name, out var version) ? version : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return Path.Combine(newest.FullName, "bin");
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    private static bool AsServiceUser => Environment.IsPrivilegedProcess;

    /// <summary>
    /// A checkout may sit where other users cannot pass (a home folder or a private temporary folder). The postgres
    /// user is then granted passage only (the execute bit, through an ACL entry: nothing becomes readable) on each
    /// folder on the way that stops it.
    /// </summary>
    private static void LetServiceUserReach(string directory)
    {
        if (!AsServiceUser)
        {
            return;
        }

        var ancestors = new List<string>();
        for (var dir = new DirectoryInfo(directory).Parent; dir is not null; dir = dir.Parent)
        {
            ancestors.Insert(0, dir.FullName);
        }

        foreach (var dir in ancestors)
        {
            if (Run("runuser", ["-u", ServiceUser, "--", "test", "-x", dir], allowFailure: true) == 0)
            {
                continue;
            }

            var granted = File.Exists("/usr/bin/setfacl") && Run("setfacl", ["-m", $"u:{ServiceUser}:x", dir], allowFailure: true) == 0;
            if (!granted)
            {
                throw new PostgresUnavailableException(
                    $"The {ServiceUser} user cannot enter {dir}, and it could not be granted passage (setfacl, from Debian's acl package). " +
                    "Install acl, keep the checkout where other users may pass, set LocalState__Directory to such a folder, " +
                    "or set ConnectionStrings__Postgres.");
            }
        }
    }

    private static void GiveToServiceUser(string path)
    {
        if (AsServiceUser)
        {
            Run("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path], allowFailure: false);
        }
    }

    private static int RunTool(string tool, IReadOnlyList<string> arguments, bool allowFailure = false)
    {
        var bin = FindBinDirectory() ?? throw new PostgresUnavailableException(
            "PostgreSQL is not installed (no initdb/pg_ctl found). Install it (Debian: apt-get install postgresql) " +
            "or set ConnectionStrings__Postgres to an existing server.");
        var executable = Path.Combine(bin, tool);
        return AsServiceUser
            ? Run("runuser", ["-u", ServiceUser, "--", executable, .. arguments], allowFailure)
            : Run(executable, arguments, allowFailure);
    }

    private static int Run(string fileName, IReadOnlyList<string> arguments, bool allowFailure)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0 && !allowFailure)
            {
                throw new PostgresUnavailableException(
                    $"'{Path.GetFileName(fileName)} {string.Join(' ', arguments.Take(2))}' failed (exit {process.ExitCode}): {error.Result.Trim()} {output.Result.Trim()}");
            }

            return process.ExitCode;
        }
        catch (Win32Exception e)
        {
            throw new PostgresUnavailableException($"Could not run {fileName}: {e.Message}");
        }
    }
}

internal sealed record PostgresClusterSettings(string Directory, int Port, string? Password, bool Durable);

internal sealed class PostgresUnavailableException(string message) : Exception(message);
