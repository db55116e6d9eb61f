using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recordings.Hosting;
using Recordings.Import;
using Recordings.ServiceDefaults;
using Recordings.ServiceDefaults.Configuration;
using Recordings.Supabase;

// Usage: dotnet run --project src/Recordings.Import -- [folder]   (default: recordings)
// Joins the running service as an Orleans client (the cluster's PostgreSQL, or the one-machine host's gateway).
DotEnvFile.Load();
var folder = args.FirstOrDefault() ?? "recordings";
if (!Directory.Exists(folder))
{
    Console.Error.WriteLine($"No such folder: {folder}");
    return 2;
}

var builder = Host.CreateApplicationBuilder(args.Skip(1).ToArray());
builder.AddServiceDefaults();
builder.Services.AddSupabaseStorage(builder.Configuration.GetSection("Supabase"));
builder.AddRecordingsClient();
builder.Services.AddSingleton<LegacyRecordingImporter>();

using var host = builder.Build();
await host.StartAsync();
var summary = await host.Services.GetRequiredService<LegacyRecordingImporter>().ImportAsync(folder, new ProgressBar(), CancellationToken.None);
Console.WriteLine($"Imported {summary.Imported}, already done {summary.AlreadyDone}, skipped {summary.Skipped}, failed {summary.Failed}.");
await host.StopAsync();
return summary.Failed == 0 ? 0 : 1;
