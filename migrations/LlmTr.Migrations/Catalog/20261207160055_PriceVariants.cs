using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class PriceVariants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_prices_ModelId_Unit_EffectiveFrom",
                schema: "catalog",
                table: "prices");

            migrationBuilder.AddColumn<string>(
                name: "Variant",
                schema: "catalog",
                table: "prices",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_prices_ModelId_Unit_Variant_EffectiveFrom",
                schema: "catalog",
                table: "prices",
                columns: new[] { "ModelId", "Unit", "Variant", "EffectiveFrom" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_prices_ModelId_Unit_Variant_EffectiveFrom",
                schema: "catalog",
                table: "prices");

            migrationBuilder.DropColumn(
                name: "Variant",
                schema: "catalog",
                table: "prices");

            migrationBuilder.CreateIndex(
                name: "IX_prices_ModelId_Unit_EffectiveFrom",
                schema: "catalog",
                table: "prices",
                columns: new[] { "ModelId", "Unit", "EffectiveFrom" },
                unique: true);
        }
    }
}
