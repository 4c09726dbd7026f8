namespace LlmTr.SharedKernel;

/// <summary>
/// A module's demo data, loaded by the <c>seed</c> command and in demo mode, under the migration lock. Loading twice
/// changes nothing: what exists (including an admin's edits) is left as it is.
/// </summary>
public interface IDemoData
{
    Task LoadAsync(CancellationToken cancellationToken);
}
