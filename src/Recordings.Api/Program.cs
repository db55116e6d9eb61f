using Recordings.Api.Apis;
using Recordings.Api.Apis.Resumable;
using Recordings.Api.Auth;
using Recordings.Api.Extensions;
using Recordings.Hosting;
using Recordings.ServiceDefaults;
using Recordings.ServiceDefaults.Configuration;

DotEnvFile.Load();
var builder = WebApplication.CreateBuilder([.. args, ServiceDefaultsExtensions.NoConfigReloadArgument]);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapDashboardWhenEnabled();
app.UseApiErrorHandling();
app.UseRecordingsAuth();
app.MapDocs();
app.MapRecordingsApi();
app.MapResumableUploadsApi();
app.UseRecorderPage();

app.Run();
