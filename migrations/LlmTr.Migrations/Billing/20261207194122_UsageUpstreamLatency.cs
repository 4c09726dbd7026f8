using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Billing
{
    /// <inheritdoc />
    public partial class UsageUpstreamLatency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "UpstreamLatencyMs",
                schema: "billing",
                table: "usage_records",
                type: "integer",
                nullable: true);

            // Built in the migration's own transaction: a CONCURRENTLY build cannot run inside one, and outside it a
            // migration interrupted (or run by two hosts at once, behind the advisory lock) is left half applied. The
            // build holds up usage writes while it runs; on a very large table, build the same index CONCURRENTLY by
            // hand before upgrading, and this statement then finds it there.
            migrationBuilder.Sql("""
                CREATE INDEX IF NOT EXISTS "IX_usage_records_StartedAt" ON billing.usage_records ("StartedAt")
                  INCLUDE ("ModelId", "Deployment", "Outcome", "HttpStatus", "UpstreamLatencyMs", "ErrorCode")
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_usage_records_StartedAt",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "UpstreamLatencyMs",
                schema: "billing",
                table: "usage_records");
        }
    }
}
