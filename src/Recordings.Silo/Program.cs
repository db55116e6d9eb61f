using Recordings.Grains;
using Recordings.Hosting;
using Recordings.ServiceDefaults;
using Recordings.ServiceDefaults.Configuration;
using Recordings.Supabase;

DotEnvFile.Load();
var builder = WebApplication.CreateBuilder([.. args, ServiceDefaultsExtensions.NoConfigReloadArgument]);

// HTTP serves health and metrics only, on a port apart from the API's 8000 so both run side by side.
builder.UseDefaultUrl("http://localhost:8081");
builder.AddServiceDefaults();
builder.Services.AddRecordingsOptions(builder.Configuration);
builder.Services.AddSupabaseStorage(builder.Configuration.GetSection("Supabase"));
builder.AddRecordingsSilo(silo => silo.AddRecordingsGrains(builder.Configuration));

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
