using Microsoft.AspNetCore.Http.HttpResults;

namespace Recordings.Api.Apis;

/// <summary>FastAPI-shaped errors: {"detail": "..."} with the status that names the mistake.</summary>
public static class ApiProblem
{
    public static JsonHttpResult<ErrorDetail> Status(int statusCode, string detail) =>
        TypedResults.Json(new ErrorDetail(detail), statusCode: statusCode);

    public static JsonHttpResult<ErrorDetail> BadRequest(string detail) => Status(StatusCodes.Status400BadRequest, detail);

    public static JsonHttpResult<ErrorDetail> NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    public static JsonHttpResult<ErrorDetail> Unavailable(string detail) => Status(StatusCodes.Status503ServiceUnavailable, detail);
}
