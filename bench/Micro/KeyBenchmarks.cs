using System.Reflection;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using LlmTr.Modules.Keys;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Modules.Keys.Data;
using LlmTr.Modules.Keys.Directory;
using LlmTr.Modules.Keys.Issuing;
using Microsoft.Extensions.Options;

namespace LlmTr.Bench.Micro;

/// <summary>Authenticating a bearer key against the in-memory directory: shape check, HMAC-SHA256, lookup, expiry.</summary>
public class KeyBenchmarks
{
    private KeyDirectory _directory = null!;
    private string _key = null!;
    private string _unknown = null!;

    [GlobalSetup]
    public void Setup()
    {
        var secret = new KeyHashSecret(() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _directory = new KeyDirectory(null!, secret, TimeProvider.System, Options.Create(new KeysOptions()));
        _key = ApiKeyFormat.NewRawKey();
        _unknown = ApiKeyFormat.NewRawKey();

        // The directory is filled from the database in production; here one key goes in through the same private path.
        var record = new ApiKeyRecord
        {
            Id = Guid.NewGuid(),
            AccountId = "bench-user",
            MemberUserId = "bench-user",
            Name = "bench",
            Hash = ApiKeyFormat.Hash(_key, secret.Value),
            Preview = ApiKeyFormat.Preview(_key),
        };
        typeof(KeyDirectory).GetMethod("Put", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(_directory, [record]);
    }

    [Benchmark(Description = "authenticate a known key")]
    public ApiKeyIdentity? Known() => _directory.Authenticate(_key).Identity;

    [Benchmark(Description = "authenticate an unknown key")]
    public ApiKeyIdentity? Unknown() => _directory.Authenticate(_unknown).Identity;
}
