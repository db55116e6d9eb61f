using Recordings.Api.Extensions;
using Recordings.ServiceDefaults.Configuration;

DotEnv.Load();
var app = RecordingsApiApp.CreateBuilder(args).BuildRecordingsApi();
app.Run();
