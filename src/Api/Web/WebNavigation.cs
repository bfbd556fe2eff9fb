using System.Security.Claims;
using Telemetry.Api.Access;

namespace Telemetry.Api.Web;

/// <summary>A page in the menu: where, its words in <see cref="WebText"/>, its icon and the policy that lets a user open it.</summary>
public sealed record WebPage(string Path, string Text, string Icon, string Policy);

/// <summary>The app's menu and each role's start page. A page shows in the menu only to whom its policy lets in.</summary>
public static class WebNavigation
{
    public static readonly IReadOnlyList<WebPage> Pages =
    [
        new("/plant", "Nav.Plant", MudBlazor.Icons.Material.Filled.Dashboard, Policies.ReadPlant),
        new("/alarms", "Nav.Alarms", MudBlazor.Icons.Material.Filled.NotificationsActive, Policies.ReadPlant),
        new("/my-work", "Nav.MyWork", MudBlazor.Icons.Material.Filled.Engineering, Policies.WorkTickets),
        new("/maintenance", "Nav.Maintenance", MudBlazor.Icons.Material.Filled.CalendarMonth, Policies.ReadWorkOrders),
        new("/forecasts", "Nav.Forecasts", MudBlazor.Icons.Material.Filled.Insights, Policies.ReadForecasts),
        new("/follow-ups", "Nav.FollowUps", MudBlazor.Icons.Material.Filled.PhoneCallback, Policies.DispatchTickets),
        new("/thresholds", "Nav.Thresholds", MudBlazor.Icons.Material.Filled.Tune, Policies.ChangeThresholds),
        new("/intervals", "Nav.Intervals", MudBlazor.Icons.Material.Filled.EventRepeat, Policies.ChangeIntervals),
        new("/assets", "Nav.Assets", MudBlazor.Icons.Material.Filled.Inventory2, Policies.ReadPlant),
        new("/reports", "Nav.Reports", MudBlazor.Icons.Material.Filled.Assessment, Policies.ReadReports),
        new("/reports/fault-analysis", "Nav.FaultAnalysis", MudBlazor.Icons.Material.Filled.BarChart, Policies.ReadReports),
        new("/battery-tests", "Nav.BatteryTests", MudBlazor.Icons.Material.Filled.BatteryChargingFull, Policies.SendCommands),
        new("/admin/users", "Nav.Users", MudBlazor.Icons.Material.Filled.ManageAccounts, Policies.ManageUsers),
    ];

    /// <summary>Where a user lands after sign-in: crews on their work, engineers on the thresholds, everyone else on the plant.</summary>
    public static string StartPageOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(UserStore.Names.Of(Role.Operator)) || user.IsInRole(UserStore.Names.Of(Role.Admin)))
        {
            return "/plant";
        }

        return user.IsInRole(UserStore.Names.Of(Role.Engineer)) ? "/thresholds"
            : user.IsInRole(UserStore.Names.Of(Role.Crew)) ? "/my-work"
            : WebApp.NotAllowedPath;
    }
}
