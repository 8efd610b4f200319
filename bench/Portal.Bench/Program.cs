using Portal.Bench;

// ./bench.sh fanout: see bench/README.md.
if (args.Length == 0 || args[0] != "fanout")
{
    Console.Error.WriteLine("usage: Portal.Bench fanout [--staff N] [--units N] [--dependents N] [--acks N] [--connections N] [--repeat N]");
    return 2;
}
var options = FanOutBenchmark.Options.Parse(args.Skip(1).ToArray());
return await new FanOutBenchmark(options).RunAsync();
