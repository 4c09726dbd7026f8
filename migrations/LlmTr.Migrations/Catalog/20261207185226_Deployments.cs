using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class Deployments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "accounts",
                schema: "catalog",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ProtectedCredential = table.Column<string>(type: "text", nullable: true),
                    CredentialHint = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    CredentialSetAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CredentialSetBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "deployments",
                schema: "catalog",
                columns: table => new
                {
                    ModelId = table.Column<string>(type: "character varying(120)", nullable: false),
                    Name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Protocol = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    BaseUrl = table.Column<string>(type: "text", nullable: true),
                    UpstreamName = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    Region = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    Weight = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SpeaksResponsesApi = table.Column<bool>(type: "boolean", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    data_path = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployments", x => new { x.ModelId, x.Name });
                    table.CheckConstraint("ck_deployments_weight", "\"Weight\" >= 0 AND \"Weight\" <= 1000");
                    table.ForeignKey(
                        name: "FK_deployments_models_ModelId",
                        column: x => x.ModelId,
                        principalSchema: "catalog",
                        principalTable: "models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_deployments_AccountId",
                schema: "catalog",
                table: "deployments",
                column: "AccountId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accounts",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "deployments",
                schema: "catalog");
        }
    }
}
