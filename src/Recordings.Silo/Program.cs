using Recordings.ServiceDefaults;
using Recordings.ServiceDefaults.Configuration;
using Recordings.ServiceDefaults.Orleans;

DotEnv.Load();
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRecordingsSilo();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
