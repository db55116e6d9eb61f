using Recordings.ServiceDefaults;
using Recordings.ServiceDefaults.Configuration;
using Recordings.ServiceDefaults.Hosting;
using Recordings.ServiceDefaults.Orleans;

// Health and metrics only; a port apart from the API's 8000 so both run side by side on one machine.
const string DefaultUrl = "http://localhost:8081";

DotEnv.Load();
var builder = WebApplication.CreateBuilder([.. args, ServiceDefaultsExtensions.NoConfigReloadArgument]);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls(DefaultUrl);
}

builder.AddServiceDefaults();
builder.AddGracefulDrain();
builder.AddRecordingsSilo();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
