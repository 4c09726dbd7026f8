using System.Globalization;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.UnitTests.Gateway;

public sealed class RequestIdsShould
{
    [Fact]
    public void LookLikeAVersion7UuidAfterThePrefix()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123);
        var id = RequestIds.New(at);

        Assert.Matches("^req_[0-9a-f]{32}$", id);
        var uuid = Guid.ParseExact(id[4..], "N");
        Assert.Equal(7, uuid.Version);
        Assert.Equal(at.ToUnixTimeMilliseconds(), long.Parse(id[4..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Contains(id[20], "89ab"); // RFC 9562 variant
    }

    [Fact]
    public void NeverRepeatAndSortByTime()
    {
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 10_000).Select(i => RequestIds.New(start.AddMilliseconds(i / 100))).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var later = RequestIds.New(start.AddSeconds(1));
        Assert.All(ids, id => Assert.True(string.CompareOrdinal(id, later) < 0));
    }
}
