namespace Telemetry.Api.Web.Admin;

/// <summary>The admin's pages' words (<c>AdminText.resx</c>, <c>AdminText.zh-CN.resx</c>): users, roles, crews, passwords.</summary>
public sealed class AdminText;
