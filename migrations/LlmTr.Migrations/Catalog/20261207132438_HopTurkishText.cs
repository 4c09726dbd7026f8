using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class HopTurkishText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each hop's purpose and retention text so far is English and stays where it is; the Turkish text starts
            // empty (pages show the English until someone writes it). A hop that already has one keeps it.
            migrationBuilder.Sql("""
                UPDATE catalog.models AS m
                SET data_path = (
                    SELECT jsonb_agg(
                        hop || jsonb_build_object(
                            'PurposeTr', COALESCE(hop->'PurposeTr', to_jsonb(''::text)),
                            'RetentionTr', COALESCE(hop->'RetentionTr', to_jsonb(''::text)))
                        ORDER BY position)
                    FROM jsonb_array_elements(m.data_path) WITH ORDINALITY AS path(hop, position))
                WHERE jsonb_typeof(m.data_path) = 'array' AND jsonb_array_length(m.data_path) > 0;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE catalog.models AS m
                SET data_path = (SELECT jsonb_agg(hop - 'PurposeTr' - 'RetentionTr' ORDER BY position)
                                 FROM jsonb_array_elements(m.data_path) WITH ORDINALITY AS path(hop, position))
                WHERE jsonb_typeof(m.data_path) = 'array' AND jsonb_array_length(m.data_path) > 0;
                """);
        }
    }
}
