using Recordings.Api.Extensions;
using Recordings.ServiceDefaults;
using Recordings.ServiceDefaults.Configuration;

DotEnvFile.Load();
var builder = WebApplication.CreateBuilder([.. args, ServiceDefaultsExtensions.NoConfigReloadArgument]);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseRecordingsPipeline();
app.Run();
