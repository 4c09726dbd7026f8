using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LlmTr.Migrations.Identity
{
    /// <summary>
    /// E-mail confirmation arrives with this release: accounts made before it never got a link, so they count as
    /// confirmed and keep creating keys and topping up as before. Only sign-ups from now on confirm their address.
    /// </summary>
    public partial class ConfirmExistingAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE identity."AspNetUsers" SET "EmailConfirmed" = true WHERE NOT "EmailConfirmed";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: which accounts were confirmed before is not known, and unconfirming them would lock them out.
        }
    }
}
