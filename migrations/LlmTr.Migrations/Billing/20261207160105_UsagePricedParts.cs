using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Billing
{
    /// <inheritdoc />
    public partial class UsagePricedParts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AudioCompletionTokens",
                schema: "billing",
                table: "usage_records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "AudioPromptTokens",
                schema: "billing",
                table: "usage_records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "CacheWrite1hTokens",
                schema: "billing",
                table: "usage_records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "CacheWrite5mTokens",
                schema: "billing",
                table: "usage_records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ImageCompletionTokens",
                schema: "billing",
                table: "usage_records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ImagePromptTokens",
                schema: "billing",
                table: "usage_records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "ImageVariant",
                schema: "billing",
                table: "usage_records",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ToolCalls",
                schema: "billing",
                table: "usage_records",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "WebSearches",
                schema: "billing",
                table: "usage_records",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AudioCompletionTokens",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "AudioPromptTokens",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "CacheWrite1hTokens",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "CacheWrite5mTokens",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "ImageCompletionTokens",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "ImagePromptTokens",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "ImageVariant",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "ToolCalls",
                schema: "billing",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "WebSearches",
                schema: "billing",
                table: "usage_records");
        }
    }
}
