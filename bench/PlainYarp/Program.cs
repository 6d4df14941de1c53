// The plain YARP baseline of bench/run.sh: YARP's getting-started host, nothing tuned.
// dotnet PlainYarp.dll --urls http://127.0.0.1:5200 --ReverseProxy:Clusters:upstream:Destinations:d1:Address=http://127.0.0.1:5101/
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapReverseProxy();
app.Run();
