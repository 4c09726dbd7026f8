using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Billing
{
    /// <summary>
    /// <c>billing.usage_records</c> becomes a table partitioned by UTC month of <c>StartedAt</c>, so whole months of raw
    /// rows can be dropped once they are older than the retention period (the daily roll-ups stay). EF cannot declare a
    /// partitioned table: the statements are written out here. The rows are copied into the new table in the migration's
    /// own transaction (a large table takes a while and twice its disk space until the old copy is dropped).
    /// </summary>
    /// <remarks>
    /// There is no DEFAULT partition: a row outside every partition is refused, and the usage writer then creates its
    /// month's partition and writes the batch again. A DEFAULT partition holding rows would instead have to be scanned
    /// (and its rows moved out) before the month's own partition could be attached.
    /// </remarks>
    public partial class UsagePartitionedByMonth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE billing.usage_records RENAME TO usage_records_unpartitioned;
                ALTER TABLE billing.usage_records_unpartitioned RENAME CONSTRAINT "PK_usage_records" TO "PK_usage_records_unpartitioned";
                DROP INDEX billing."IX_usage_records_AccountId_StartedAt";
                DROP INDEX billing."IX_usage_records_KeyId_StartedAt";
                DROP INDEX billing."IX_usage_records_StartedAt";

                CREATE TABLE billing.usage_records (LIKE billing.usage_records_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE ("StartedAt");
                ALTER TABLE billing.usage_records ADD CONSTRAINT "PK_usage_records" PRIMARY KEY ("RequestId", "StartedAt");
                CREATE INDEX "IX_usage_records_AccountId_StartedAt" ON billing.usage_records ("AccountId", "StartedAt");
                CREATE INDEX "IX_usage_records_KeyId_StartedAt" ON billing.usage_records ("KeyId", "StartedAt");
                CREATE INDEX "IX_usage_records_StartedAt" ON billing.usage_records ("StartedAt")
                  INCLUDE ("ModelId", "Deployment", "Outcome", "HttpStatus", "UpstreamLatencyMs", "ErrorCode");
                """);

            migrationBuilder.Sql(CreatePartitionFunction);

            // Every month that has rows, and the current and next months; the host creates more ahead at start and daily.
            migrationBuilder.Sql("""
                SELECT billing.create_usage_partition(m)
                FROM (SELECT DISTINCT date_trunc('month', "StartedAt" AT TIME ZONE 'UTC')::date AS m FROM billing.usage_records_unpartitioned
                      UNION
                      SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => n))::date FROM generate_series(0, 1) AS n) AS months
                ORDER BY m;

                INSERT INTO billing.usage_records SELECT * FROM billing.usage_records_unpartitioned;
                DROP TABLE billing.usage_records_unpartitioned;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one table keyed by request id alone (a request id never came with two start times, so the key holds).
            migrationBuilder.Sql("""
                CREATE TABLE billing.usage_records_unpartitioned (LIKE billing.usage_records INCLUDING DEFAULTS);
                INSERT INTO billing.usage_records_unpartitioned SELECT * FROM billing.usage_records;
                DROP TABLE billing.usage_records;
                DROP FUNCTION billing.create_usage_partition(date);
                ALTER TABLE billing.usage_records_unpartitioned RENAME TO usage_records;
                ALTER TABLE billing.usage_records ADD CONSTRAINT "PK_usage_records" PRIMARY KEY ("RequestId");
                CREATE INDEX "IX_usage_records_AccountId_StartedAt" ON billing.usage_records ("AccountId", "StartedAt");
                CREATE INDEX "IX_usage_records_KeyId_StartedAt" ON billing.usage_records ("KeyId", "StartedAt");
                CREATE INDEX "IX_usage_records_StartedAt" ON billing.usage_records ("StartedAt")
                  INCLUDE ("ModelId", "Deployment", "Outcome", "HttpStatus", "UpstreamLatencyMs", "ErrorCode");
                """);
        }

        /// <summary>
        /// Creates the partition of the UTC month holding the given day, unless it exists; returns whether it made it.
        /// Safe on several hosts at once (a transaction-scoped advisory lock makes them take turns). The partition is
        /// built apart (its key and indexes named after it) and then attached, which holds up usage writes far less
        /// than creating it as a partition would.
        /// </summary>
        private const string CreatePartitionFunction = """
            CREATE FUNCTION billing.create_usage_partition(day date) RETURNS boolean
            LANGUAGE plpgsql AS $fn$
            DECLARE
              first date := date_trunc('month', day)::date;
              name text := 'usage_records_' || to_char(date_trunc('month', day), 'YYYY_MM');
            BEGIN
              PERFORM pg_advisory_xact_lock(21475993240862977);
              IF to_regclass('billing.' || quote_ident(name)) IS NOT NULL THEN
                RETURN false;
              END IF;

              EXECUTE format('CREATE TABLE billing.%I (LIKE billing.usage_records INCLUDING DEFAULTS)', name);
              EXECUTE format('ALTER TABLE billing.%I ADD CONSTRAINT %I PRIMARY KEY ("RequestId", "StartedAt")', name, 'PK_' || name);
              EXECUTE format('CREATE INDEX %I ON billing.%I ("AccountId", "StartedAt")', 'IX_' || name || '_AccountId_StartedAt', name);
              EXECUTE format('CREATE INDEX %I ON billing.%I ("KeyId", "StartedAt")', 'IX_' || name || '_KeyId_StartedAt', name);
              EXECUTE format('CREATE INDEX %I ON billing.%I ("StartedAt") INCLUDE ("ModelId", "Deployment", "Outcome", "HttpStatus", "UpstreamLatencyMs", "ErrorCode")',
                'IX_' || name || '_StartedAt', name);
              EXECUTE format('ALTER TABLE billing.usage_records ATTACH PARTITION billing.%I FOR VALUES FROM (%L) TO (%L)',
                name, to_char(first, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(first + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
              RETURN true;
            END
            $fn$
            """;
    }
}
