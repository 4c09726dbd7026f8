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

            migrationBuilder.CreateIndex(
                name: "IX_usage_records_StartedAt",
                schema: "billing",
                table: "usage_records",
                column: "StartedAt")
                .Annotation("Npgsql:IndexInclude", new[] { "ModelId", "Deployment", "Outcome", "HttpStatus", "UpstreamLatencyMs", "ErrorCode" });
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
