using Soar.Cli;

return await SoarCommandLine.InvokeAsync(args, Console.Out, Console.Error);
