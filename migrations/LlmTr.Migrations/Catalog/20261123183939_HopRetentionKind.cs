using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class HopRetentionKind : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hops written before the structured field existed: classify them once from their statement, as the
            // gateway used to; anything not plainly "not retained" or "metadata only" keeps content (the safe side).
            migrationBuilder.Sql("""
                UPDATE catalog.models AS m
                SET data_path = (
                    SELECT jsonb_agg(
                        hop || jsonb_build_object('Keeps', CASE
                            WHEN hop->>'Retention' ILIKE 'Not retained%' THEN 'Nothing'
                            WHEN hop->>'Retention' ILIKE 'Metadata only%' THEN 'MetadataOnly'
                            ELSE 'Content' END)
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
                SET data_path = (SELECT jsonb_agg(hop - 'Keeps' ORDER BY position)
                                 FROM jsonb_array_elements(m.data_path) WITH ORDINALITY AS path(hop, position))
                WHERE jsonb_typeof(m.data_path) = 'array' AND jsonb_array_length(m.data_path) > 0;
                """);
        }
    }
}
