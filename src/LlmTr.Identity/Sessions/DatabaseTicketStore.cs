using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Identity.Sessions;

/// <summary>Stores authentication tickets in <c>identity.sessions</c>; the cookie holds only a random session key.</summary>
internal sealed class DatabaseTicketStore(IDbContextFactory<LlmTrIdentityDbContext> contexts, TimeProvider time) : ITicketStore
{
    /// <summary>Used when a ticket carries no expiry of its own; matches the cookie's lifetime.</summary>
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(14);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var db = await contexts.CreateDbContextAsync();
        db.Sessions.Add(new UserSession
        {
            Id = HashOf(key),
            UserId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty,
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = ExpiryOf(ticket),
        });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var id = HashOf(key);
        await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(s => s.Ticket, TicketSerializer.Default.Serialize(ticket))
            .SetProperty(s => s.ExpiresAt, ExpiryOf(ticket)));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var id = HashOf(key);
        var now = time.GetUtcNow();
        var ticket = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == id && s.ExpiresAt > now)
            .Select(s => s.Ticket)
            .SingleOrDefaultAsync();
        return ticket is null ? null : TicketSerializer.Default.Deserialize(ticket);
    }

    public async Task RemoveAsync(string key)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var id = HashOf(key);
        await db.Sessions.Where(s => s.Id == id).ExecuteDeleteAsync();
    }

    private DateTimeOffset ExpiryOf(AuthenticationTicket ticket) =>
        ticket.Properties.ExpiresUtc ?? time.GetUtcNow().Add(DefaultLifetime);

    /// <summary>The row id of a session key: the key itself is only ever in the browser's cookie.</summary>
    internal static string HashOf(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
