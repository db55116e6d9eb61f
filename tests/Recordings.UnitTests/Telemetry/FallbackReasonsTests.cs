using System.Net;
using Recordings.Grains.Telemetry;
using Recordings.Supabase;

namespace Recordings.UnitTests.Telemetry;

public sealed class FallbackReasonsTests
{
    [Theory]
    [InlineData(HttpStatusCode.BadGateway, "text/html", "<html><title>502 Bad Gateway</title></html>", "server_error")]
    [InlineData(HttpStatusCode.BadRequest, "application/json",
        """{"statusCode":"413","error":"Payload too large","message":"The object exceeded the maximum allowed size","code":"EntityTooLarge"}""", "too_large")]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "text/html", "<html><title>413 Request Entity Too Large</title></html>", "too_large")]
    [InlineData(HttpStatusCode.BadRequest, "application/json",
        """{"statusCode":"403","error":"Unauthorized","message":"invalid signature","code":"AccessDenied"}""", "other")]
    [InlineData(HttpStatusCode.InternalServerError, "application/json",
        """{"statusCode":"500","error":"internal","message":"boom"}""", "server_error")]
    public void An_error_answer_maps_to_one_fallback_tag_by_its_codes(HttpStatusCode status, string mediaType, string body, string expected)
    {
        var failure = UploadFailure.From(SupabaseErrorReader.Read("upload", "s/a.webm", status, mediaType, body));

        Assert.Equal(expected, FallbackReasons.TagOf(failure.Kind));
    }

    [Theory]
    [InlineData(SupabaseErrorCodes.CircuitOpen, "circuit_open")]
    [InlineData(SupabaseErrorCodes.Timeout, "stalled")]
    [InlineData(SupabaseErrorCodes.ConnectionFailed, "refused")]
    public void No_answer_maps_to_one_fallback_tag_by_its_code(string code, string expected)
    {
        var failure = UploadFailure.From(new SupabaseStorageException("Supabase upload of 's/a.webm' failed", "503", code, 0));

        Assert.Equal(expected, FallbackReasons.TagOf(failure.Kind));
    }

    [Fact]
    public void Unconfigured_and_unknown_failures_have_their_own_tags()
    {
        Assert.Equal("unconfigured", FallbackReasons.TagOf(UploadFailure.Unconfigured.Kind));
        Assert.Equal("other", FallbackReasons.TagOf(UploadFailure.From(new IOException("broken pipe")).Kind));
    }
}
