using LlmTr.Web.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LlmTr.Web.Localization;

/// <summary>
/// MudBlazor's table pager with its texts in the page's language: the pager takes "Rows per page", "1-10 of 20" and
/// "All" as parameters with English defaults rather than through <see cref="MudLocalizer"/>. A page may still set them.
/// </summary>
public sealed class TablePager : MudTablePager
{
    [Inject]
    private IStringLocalizer<SharedResource> Text { get; set; } = default!;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        if (!parameters.TryGetValue<string>(nameof(RowsPerPageString), out _))
        {
            RowsPerPageString = Text["Mud_TablePagerRowsPerPage"];
        }

        if (!parameters.TryGetValue<string>(nameof(InfoFormat), out _))
        {
            InfoFormat = Text["Mud_TablePagerInfo"];
        }

        if (!parameters.TryGetValue<string>(nameof(AllItemsText), out _))
        {
            AllItemsText = Text["Mud_TablePagerAll"];
        }

        return base.SetParametersAsync(parameters);
    }
}
