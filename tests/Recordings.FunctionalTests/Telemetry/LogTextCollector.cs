using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Recordings.FunctionalTests.Telemetry;

/// <summary>
/// Keeps the text of every log record the OpenTelemetry pipeline would export (message, attributes, scopes) as it
/// is emitted: records are pooled and reused afterwards, so they cannot be kept themselves.
/// </summary>
public sealed class LogTextCollector(ExportedItems<string> texts) : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        var parts = new List<string?> { data.FormattedMessage, data.Body, data.Exception?.ToString() };
        parts.AddRange(data.Attributes?.Select(attribute => $"{attribute.Key}={attribute.Value}") ?? []);
        data.ForEachScope((scope, _) =>
        {
            foreach (var item in scope)
            {
                parts.Add($"{item.Key}={item.Value}");
            }
        }, (object?)null);
        texts.Add(string.Join(' ', parts.Where(part => part is not null)));
    }
}
