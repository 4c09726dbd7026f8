using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Billing
{
    /// <inheritdoc />
    public partial class TopUpReceiptsAndBillingDetails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BuyerAddress",
                schema: "billing",
                table: "top_ups",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BuyerKind",
                schema: "billing",
                table: "top_ups",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BuyerName",
                schema: "billing",
                table: "top_ups",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BuyerTaxId",
                schema: "billing",
                table: "top_ups",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BuyerTaxOffice",
                schema: "billing",
                table: "top_ups",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SellerAddress",
                schema: "billing",
                table: "top_ups",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SellerLegalName",
                schema: "billing",
                table: "top_ups",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SellerTaxNumber",
                schema: "billing",
                table: "top_ups",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SellerTaxOffice",
                schema: "billing",
                table: "top_ups",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "Tax",
                schema: "billing",
                table: "top_ups",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "TaxName",
                schema: "billing",
                table: "top_ups",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<decimal>(
                name: "TaxRate",
                schema: "billing",
                table: "top_ups",
                type: "numeric(9,6)",
                precision: 9,
                scale: 6,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateTable(
                name: "billing_details",
                schema: "billing",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    TaxOffice = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    TaxId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_billing_details", x => x.AccountId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "billing_details",
                schema: "billing");

            migrationBuilder.DropColumn(
                name: "BuyerAddress",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "BuyerKind",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "BuyerName",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "BuyerTaxId",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "BuyerTaxOffice",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "SellerAddress",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "SellerLegalName",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "SellerTaxNumber",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "SellerTaxOffice",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "Tax",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "TaxName",
                schema: "billing",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "TaxRate",
                schema: "billing",
                table: "top_ups");
        }
    }
}
