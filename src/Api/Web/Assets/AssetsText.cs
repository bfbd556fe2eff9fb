namespace Telemetry.Api.Web.Assets;

/// <summary>The asset register's words (<c>AssetsText.resx</c>, <c>AssetsText.zh-CN.resx</c>): its facts, its lists and the warranty statuses.</summary>
public sealed class AssetsText;
