namespace Telemetry.Api.Web.Operator;

/// <summary>The operator pages' words (<c>OperatorText.resx</c>, <c>OperatorText.zh-CN.resx</c>): the plant overview, the site plan and the alarm list.</summary>
public sealed class OperatorText;
