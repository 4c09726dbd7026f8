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

            // The usage table is the largest there is, and the writer appends to it all the time: the index is built
            // CONCURRENTLY (outside the migration's transaction), so building it never holds up usage rows. IF NOT EXISTS
            // lets a migration interrupted after the build run again; an interrupted build leaves an invalid index that
            // must be dropped by hand (PostgreSQL says so).
            migrationBuilder.Sql("""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS "IX_usage_records_StartedAt" ON billing.usage_records ("StartedAt")
                  INCLUDE ("ModelId", "Deployment", "Outcome", "HttpStatus", "UpstreamLatencyMs", "ErrorCode")
                """, suppressTransaction: true);
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
