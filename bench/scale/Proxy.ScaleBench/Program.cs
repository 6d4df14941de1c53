using System.Globalization;
using Proxy.ScaleBench;

// generate ROUTES FILE BLUE_PORT GREEN_PORT CANARY_PORT   writes a scale configuration for bench/scale/run.sh
// weight-change ROUTES [CHANGES] [Sqlite|InMemory]      in-process weight-change timing, as a markdown table
var inv = CultureInfo.InvariantCulture;
switch (args)
{
    case ["generate", var routes, var file, var blue, var green, var canary]:
        ScaleConfig.Write(file, int.Parse(routes, inv), int.Parse(blue, inv), int.Parse(green, inv), int.Parse(canary, inv));
        return 0;
    case ["weight-change", var routes, ..var rest]:
        return await WeightChangeRun.RunAsync(int.Parse(routes, inv), rest.Length > 0 ? int.Parse(rest[0], inv) : 200, rest.Length > 1 ? rest[1] : "Sqlite", Console.Out);
    default:
        Console.Error.WriteLine("usage: Proxy.ScaleBench generate ROUTES FILE BLUE_PORT GREEN_PORT CANARY_PORT | weight-change ROUTES [CHANGES] [Sqlite|InMemory]");
        return 2;
}
