using System.Globalization;
using LlmTr.Bench.Runner;

// bench/run.sh prepares the machine, the database and LLMTR's key, then runs this pinned to the load core.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

Directory.CreateDirectory(settings.WorkDirectory);
Directory.CreateDirectory(settings.OutputDirectory);
using var bench = new Bench(settings);
return settings.Soak ? await bench.SoakAsync() : await bench.RunAsync();
