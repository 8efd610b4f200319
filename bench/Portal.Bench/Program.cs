using Portal.Bench;

// ./bench.sh fanout | upload: see bench/README.md.
switch (args.FirstOrDefault())
{
    case "fanout":
        return await new FanOutBenchmark(FanOutBenchmark.Options.Parse(args.Skip(1).ToArray())).RunAsync();
    case "upload":
        return await new UploadBenchmark(UploadBenchmark.Options.Parse(args.Skip(1).ToArray())).RunAsync();
    default:
        Console.Error.WriteLine("usage: Portal.Bench fanout [--staff N] [--units N] [--dependents N] [--acks N] [--connections N] [--repeat N]");
        Console.Error.WriteLine("       Portal.Bench upload [--megabytes N]");
        return 2;
}
