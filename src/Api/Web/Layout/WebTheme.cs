using MudBlazor;

namespace Telemetry.Api.Web.Layout;

/// <summary>
/// The app's look: fonts the machine has (no web fonts: monitoring rooms are often off the internet), Chinese fonts
/// first for the Chinese page, and state colours dark enough to read as text on white (WCAG AA, checked by the tests).
/// </summary>
public static class WebTheme
{
    public static readonly string[] Fonts = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Roboto", "Helvetica", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b5394",
            AppbarBackground = "#0b3d6b",
            Error = "#b3261e",
            Warning = "#8a4b00",
            Success = "#1b6e20",
            Info = "#0b5394",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H1 = new H1Typography { FontFamily = Fonts },
            H2 = new H2Typography { FontFamily = Fonts },
            H3 = new H3Typography { FontFamily = Fonts },
            H4 = new H4Typography { FontFamily = Fonts },
            H5 = new H5Typography { FontFamily = Fonts },
            H6 = new H6Typography { FontFamily = Fonts },
            Subtitle1 = new Subtitle1Typography { FontFamily = Fonts },
            Subtitle2 = new Subtitle2Typography { FontFamily = Fonts },
            Body1 = new Body1Typography { FontFamily = Fonts },
            Body2 = new Body2Typography { FontFamily = Fonts },
            Button = new ButtonTypography { FontFamily = Fonts },
            Caption = new CaptionTypography { FontFamily = Fonts },
            Overline = new OverlineTypography { FontFamily = Fonts },
        },
    };
}
