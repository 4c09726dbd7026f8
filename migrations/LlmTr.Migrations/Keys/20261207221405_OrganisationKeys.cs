using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Keys
{
    /// <inheritdoc />
    public partial class OrganisationKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "OwnerUserId",
                schema: "keys",
                table: "api_keys",
                newName: "MemberUserId");

            migrationBuilder.RenameIndex(
                name: "IX_api_keys_OwnerUserId",
                schema: "keys",
                table: "api_keys",
                newName: "IX_api_keys_MemberUserId");

            migrationBuilder.AddColumn<string>(
                name: "AccountId",
                schema: "keys",
                table: "api_keys",
                type: "character varying(450)",
                maxLength: 450,
                nullable: false,
                defaultValue: "");

            // A key made before organisations belongs to its user's personal organisation, whose id is the user's.
            migrationBuilder.Sql("""
                UPDATE keys.api_keys SET "AccountId" = "MemberUserId";
                ALTER TABLE keys.api_keys ALTER COLUMN "AccountId" DROP DEFAULT;
                """);

            migrationBuilder.CreateTable(
                name: "member_budgets",
                schema: "keys",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    SpendLimit = table.Column<decimal>(type: "numeric(18,8)", precision: 18, scale: 8, nullable: true),
                    MonthlySpendLimit = table.Column<decimal>(type: "numeric(18,8)", precision: 18, scale: 8, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member_budgets", x => new { x.AccountId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "organisation_policies",
                schema: "keys",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    TurkeyOnly = table.Column<bool>(type: "boolean", nullable: false),
                    NoRetention = table.Column<bool>(type: "boolean", nullable: false),
                    AllowedModels = table.Column<List<string>>(type: "text[]", nullable: false),
                    MaxRequestsPerMinute = table.Column<int>(type: "integer", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_organisation_policies", x => x.AccountId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_AccountId",
                schema: "keys",
                table: "api_keys",
                column: "AccountId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "member_budgets",
                schema: "keys");

            migrationBuilder.DropTable(
                name: "organisation_policies",
                schema: "keys");

            migrationBuilder.DropIndex(
                name: "IX_api_keys_AccountId",
                schema: "keys",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "AccountId",
                schema: "keys",
                table: "api_keys");

            migrationBuilder.RenameColumn(
                name: "MemberUserId",
                schema: "keys",
                table: "api_keys",
                newName: "OwnerUserId");

            migrationBuilder.RenameIndex(
                name: "IX_api_keys_MemberUserId",
                schema: "keys",
                table: "api_keys",
                newName: "IX_api_keys_OwnerUserId");
        }
    }
}
