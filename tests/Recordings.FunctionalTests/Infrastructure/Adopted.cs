using System.Text.Json;

namespace Recordings.FunctionalTests.Infrastructure;

public static class Adopted
{
    /// <summary>The session's list once the start-up adoption pass has given it a recording (polled, with a deadline).</summary>
    public static async Task<JsonElement> ListOnceAdoptedAsync(HttpClient client, string sessionId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var list = await client.ListAsync(sessionId);
            if (list.GetProperty("total_count").GetInt32() > 0 || DateTime.UtcNow > deadline)
            {
                return list;
            }

            await Task.Delay(100);
        }
    }
}
