using Recordings.Api.Extensions;
using Recordings.ServiceDefaults;
using Recordings.ServiceDefaults.Configuration;
using Recordings.ServiceDefaults.Orleans;

DotEnv.Load();
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRecordingsOrleans();
builder.AddRecordingsApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseRecordingsApi();
app.Run();
