namespace Telemetry.BrokerAccess.Principals;

/// <summary>What an ACL line allows on its topic filter, as Mosquitto's <c>acl_file</c> spells it.</summary>
public enum TopicAccess
{
    /// <summary><c>read</c>: receive messages published on matching topics.</summary>
    Read,

    /// <summary><c>write</c>: publish on matching topics (retained messages and wills included).</summary>
    Write,

    /// <summary><c>readwrite</c>: both.</summary>
    ReadWrite,
}
