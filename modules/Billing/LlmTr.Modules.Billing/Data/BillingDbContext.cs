using LlmTr.Modules.Billing.Contracts;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Data;

internal sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options)
{
    /// <summary>
    /// Every host listens here. A payload is a list of <c>account:version</c> pairs: a host reloads the accounts it
    /// knows at an older version and skips the rest (its own usage batches included).
    /// </summary>
    public const string ChangeChannel = "llmtr_billing_changed";

    /// <summary>Ledger money: usage costs are exact to 14 places (tokens × an 8-place price per million).</summary>
    private const int Precision = 28;
    private const int Scale = 14;

    public DbSet<AccountRecord> Accounts => Set<AccountRecord>();

    public DbSet<LedgerEntryRecord> LedgerEntries => Set<LedgerEntryRecord>();

    public DbSet<UsageRecord> Usage => Set<UsageRecord>();

    public DbSet<KeySpendRecord> KeySpend => Set<KeySpendRecord>();

    public DbSet<TopUpRecord> TopUps => Set<TopUpRecord>();

    public DbSet<ProcessedEventRecord> ProcessedEvents => Set<ProcessedEventRecord>();

    public DbSet<RevenueRecord> Revenue => Set<RevenueRecord>();

    public DbSet<DailyUsageRecord> DailyUsage => Set<DailyUsageRecord>();

    public DbSet<BillingDetailsRecord> BillingDetails => Set<BillingDetailsRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(ModuleSchemas.Billing);
        modelBuilder.Entity<AccountRecord>(account =>
        {
            account.ToTable("accounts");
            account.HasKey(a => a.AccountId);
            account.Property(a => a.AccountId).HasMaxLength(450);
            account.Property(a => a.Balance).HasPrecision(Precision, Scale);
            account.Property(a => a.Currency).HasMaxLength(3);
            account.Property(a => a.LowBalanceThreshold).HasPrecision(18, 4);
        });
        modelBuilder.Entity<LedgerEntryRecord>(entry =>
        {
            entry.ToTable("ledger_entries");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.AccountId).HasMaxLength(450);
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
            entry.Property(e => e.Amount).HasPrecision(Precision, Scale);
            entry.Property(e => e.Currency).HasMaxLength(3);
            entry.Property(e => e.Reason).HasMaxLength(500);
            entry.Property(e => e.Actor).HasMaxLength(256);
            entry.HasIndex(e => new { e.AccountId, e.Id });
            entry.HasIndex(e => e.TopUpId);
        });
        modelBuilder.Entity<UsageRecord>(usage =>
        {
            // Partitioned by UTC month of StartedAt (see UsagePartitions): a partitioned table's keys must hold the
            // partition column, and a request id comes with the one StartedAt its exchange began at, however often it is reported.
            usage.ToTable("usage_records");
            usage.HasKey(u => new { u.RequestId, u.StartedAt });
            usage.Property(u => u.RequestId).HasMaxLength(UsageLimits.RequestIdLength);
            usage.Property(u => u.AccountId).HasMaxLength(450);
            usage.Property(u => u.ModelId).HasMaxLength(UsageLimits.ModelIdLength);
            usage.Property(u => u.Outcome).HasConversion<string>().HasMaxLength(16);
            usage.Property(u => u.AudioMinutes).HasPrecision(18, 6);
            usage.Property(u => u.Cost).HasPrecision(Precision, Scale);
            usage.Property(u => u.Currency).HasMaxLength(3);
            usage.Property(u => u.ErrorCode).HasMaxLength(UsageErrors.MaxCodeLength);
            usage.Property(u => u.ErrorMessage).HasMaxLength(UsageErrors.MaxMessageLength);
            usage.Property(u => u.ImageVariant).HasMaxLength(UsageLimits.ImageVariantLength);
            usage.Property(u => u.Deployment).HasMaxLength(40);
            usage.HasIndex(u => new { u.AccountId, u.StartedAt });
            usage.HasIndex(u => new { u.KeyId, u.StartedAt });
            // Windows across every account (deployment health, the admin overview, the daily roll-up) range-scan this; it
            // carries what deployment health reads, so that query never visits the table.
            usage.HasIndex(u => u.StartedAt)
                .IncludeProperties(u => new { u.ModelId, u.Deployment, u.Outcome, u.HttpStatus, u.UpstreamLatencyMs, u.ErrorCode });
        });
        modelBuilder.Entity<KeySpendRecord>(spend =>
        {
            spend.ToTable("key_spend");
            spend.HasKey(s => s.KeyId);
            spend.Property(s => s.AccountId).HasMaxLength(450);
            spend.Property(s => s.Total).HasPrecision(Precision, Scale);
            spend.Property(s => s.MonthAmount).HasPrecision(Precision, Scale);
            spend.HasIndex(s => s.AccountId);
        });
        modelBuilder.Entity<TopUpRecord>(topUp =>
        {
            topUp.ToTable("top_ups");
            topUp.HasKey(t => t.Id);
            topUp.Property(t => t.AccountId).HasMaxLength(450);
            topUp.Property(t => t.Credit).HasPrecision(18, 4);
            topUp.Property(t => t.MarginRate).HasPrecision(9, 6);
            topUp.Property(t => t.Margin).HasPrecision(18, 4);
            topUp.Property(t => t.Total).HasPrecision(18, 4);
            topUp.Property(t => t.Refunded).HasPrecision(18, 4);
            topUp.Property(t => t.Currency).HasMaxLength(3);
            topUp.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
            topUp.Property(t => t.Provider).HasMaxLength(16);
            topUp.Property(t => t.CheckoutId).HasMaxLength(255);
            topUp.Property(t => t.PaymentReference).HasMaxLength(255);
            topUp.Property(t => t.StatusReason).HasMaxLength(500);
            topUp.Property(t => t.TaxRate).HasPrecision(9, 6);
            topUp.Property(t => t.Tax).HasPrecision(18, 4);
            topUp.Property(t => t.TaxName).HasMaxLength(BillingDetailsLimits.TaxName);
            topUp.Property(t => t.SellerLegalName).HasMaxLength(BillingDetailsLimits.Name);
            topUp.Property(t => t.SellerAddress).HasMaxLength(BillingDetailsLimits.Address);
            topUp.Property(t => t.SellerTaxOffice).HasMaxLength(BillingDetailsLimits.TaxOffice);
            topUp.Property(t => t.SellerTaxNumber).HasMaxLength(BillingDetailsLimits.TaxId);
            topUp.Property(t => t.BuyerKind).HasConversion<string>().HasMaxLength(16);
            topUp.Property(t => t.BuyerName).HasMaxLength(BillingDetailsLimits.Name);
            topUp.Property(t => t.BuyerAddress).HasMaxLength(BillingDetailsLimits.Address);
            topUp.Property(t => t.BuyerTaxOffice).HasMaxLength(BillingDetailsLimits.TaxOffice);
            topUp.Property(t => t.BuyerTaxId).HasMaxLength(BillingDetailsLimits.TaxId);
            topUp.HasIndex(t => new { t.AccountId, t.CreatedAt });
            topUp.HasIndex(t => new { t.Status, t.CreatedAt });
            topUp.HasIndex(t => t.CheckoutId).IsUnique();
        });
        modelBuilder.Entity<ProcessedEventRecord>(processed =>
        {
            processed.ToTable("processed_events");
            processed.HasKey(e => e.EventId);
            processed.Property(e => e.EventId).HasMaxLength(255);
            processed.Property(e => e.Type).HasMaxLength(100);
        });
        modelBuilder.Entity<RevenueRecord>(revenue =>
        {
            revenue.ToTable("platform_revenue");
            revenue.HasKey(r => r.Id);
            revenue.HasIndex(r => r.TopUpId).IsUnique();
            revenue.Property(r => r.Amount).HasPrecision(18, 4);
            revenue.Property(r => r.Currency).HasMaxLength(3);
        });
        modelBuilder.Entity<BillingDetailsRecord>(details =>
        {
            details.ToTable("billing_details");
            details.HasKey(d => d.AccountId);
            details.Property(d => d.AccountId).HasMaxLength(450);
            details.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
            details.Property(d => d.Name).HasMaxLength(BillingDetailsLimits.Name);
            details.Property(d => d.Address).HasMaxLength(BillingDetailsLimits.Address);
            details.Property(d => d.TaxOffice).HasMaxLength(BillingDetailsLimits.TaxOffice);
            details.Property(d => d.TaxId).HasMaxLength(BillingDetailsLimits.TaxId);
        });
        modelBuilder.Entity<DailyUsageRecord>(daily =>
        {
            daily.ToTable("daily_usage");
            daily.HasKey(d => new { d.AccountId, d.Day, d.KeyId, d.ModelId });
            daily.Property(d => d.AccountId).HasMaxLength(450);
            daily.Property(d => d.ModelId).HasMaxLength(UsageLimits.ModelIdLength);
            daily.Property(d => d.Cost).HasPrecision(Precision, Scale);
        });
    }
}

/// <summary>Column lengths of receipts' parties; the billing-details form refuses longer values before they reach the database.</summary>
internal static class BillingDetailsLimits
{
    public const int Name = 200;
    public const int Address = 500;
    public const int TaxOffice = 100;
    public const int TaxId = 32;
    public const int TaxName = 32;
}

internal static class UsageLimits
{
    public const int RequestIdLength = 128;
    public const int ModelIdLength = 200;
    public const int ImageVariantLength = 40;
}
