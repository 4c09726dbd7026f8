using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Billing
{
    /// <inheritdoc />
    public partial class UsageErrorsAndKeyRollUp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_daily_usage",
                schema: "billing",
                table: "daily_usage");

            migrationBuilder.AddColumn<string>(
                name: "ErrorCode",
                schema: "billing",
                table: "usage_records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ErrorMessage",
                schema: "billing",
                table: "usage_records",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "KeyId",
                schema: "billing",
                table: "daily_usage",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // The roll-up now has a line per key: rebuild it from the usage rows, which it only ever summed.
            migrationBuilder.Sql("DELETE FROM billing.daily_usage;");

            migrationBuilder.AddPrimaryKey(
                name: "PK_daily_usage",
                schema: "billing",
                table: "daily_usage",
                columns: new[] { "AccountId", "Day", "KeyId", "ModelId" });

            migrationBuilder.Sql("""
                INSERT INTO billing.daily_usage ("AccountId", "Day", "KeyId", "ModelId", "Requests", "PromptTokens", "CompletionTokens", "Cost")
                SELECT "AccountId", ("StartedAt" AT TIME ZONE 'UTC')::date, "KeyId", "ModelId", count(*), sum("PromptTokens"), sum("CompletionTokens"), sum("Cost")
                FROM billing.usage_records
                GROUP BY 1, 2, 3, 4;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM billing.daily_usage;");

            migrationBuilder.DropPrimaryKey(
                name: "PK_daily_usage",
                schema: "billing",
                table: "daily_usage");

            migrationBuilder.DropColumn(
                name: "ErrorCode",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "ErrorMessage",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "KeyId",
                schema: "billing",
                table: "daily_usage");

            migrationBuilder.AddPrimaryKey(
                name: "PK_daily_usage",
                schema: "billing",
                table: "daily_usage",
                columns: new[] { "AccountId", "Day", "ModelId" });

            migrationBuilder.Sql("""
                INSERT INTO billing.daily_usage ("AccountId", "Day", "ModelId", "Requests", "PromptTokens", "CompletionTokens", "Cost")
                SELECT "AccountId", ("StartedAt" AT TIME ZONE 'UTC')::date, "ModelId", count(*), sum("PromptTokens"), sum("CompletionTokens"), sum("Cost")
                FROM billing.usage_records
                GROUP BY 1, 2, 3;
                """);
        }
    }
}
