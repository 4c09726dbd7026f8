namespace LlmTr.Persistence;

/// <summary>
/// Where the product's one PostgreSQL database is. The host decides (configured server or the local cluster);
/// every module's DbContext and the job storage connect through the one <see cref="Npgsql.NpgsqlDataSource"/> built from it.
/// </summary>
public interface IPostgresConnectionString
{
    string Value { get; }
}
