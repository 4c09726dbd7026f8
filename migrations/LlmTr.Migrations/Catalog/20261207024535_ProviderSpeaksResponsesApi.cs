using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class ProviderSpeaksResponsesApi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "SpeaksResponsesApi",
                schema: "catalog",
                table: "providers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // The seeded providers that serve the Responses API themselves; seeding only adds providers a database lacks.
            migrationBuilder.Sql("""UPDATE catalog.providers SET "SpeaksResponsesApi" = true WHERE "Id" IN ('openai', 'xai') AND "Protocol" = 'OpenAi';""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SpeaksResponsesApi",
                schema: "catalog",
                table: "providers");
        }
    }
}
