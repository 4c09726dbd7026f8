using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Keys
{
    /// <inheritdoc />
    public partial class KeyScopesAndSpendLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "AllowedModels",
                schema: "keys",
                table: "api_keys",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<decimal>(
                name: "MonthlySpendLimit",
                schema: "keys",
                table: "api_keys",
                type: "numeric(18,8)",
                precision: 18,
                scale: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RevokedBy",
                schema: "keys",
                table: "api_keys",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "SpendLimit",
                schema: "keys",
                table: "api_keys",
                type: "numeric(18,8)",
                precision: 18,
                scale: 8,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TurkeyOnly",
                schema: "keys",
                table: "api_keys",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllowedModels",
                schema: "keys",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "MonthlySpendLimit",
                schema: "keys",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "RevokedBy",
                schema: "keys",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "SpendLimit",
                schema: "keys",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "TurkeyOnly",
                schema: "keys",
                table: "api_keys");
        }
    }
}
