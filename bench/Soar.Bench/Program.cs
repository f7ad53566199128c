using BenchmarkDotNet.Running;

// Micro-benchmarks (BenchmarkDotNet): dotnet run -c Release --project bench/Soar.Bench -- --filter '*'
// Macro benchmarks print their own figures: dotnet run -c Release --project bench/Soar.Bench -- macro <name>
if (args.Length > 0 && args[0] == "macro")
    return await Soar.Bench.Macro.MacroBenchmarks.RunAsync(args[1..], Console.Out);

BenchmarkSwitcher.FromAssembly(typeof(Soar.Bench.Macro.MacroBenchmarks).Assembly).Run(args);
return 0;
