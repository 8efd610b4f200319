using Portal.Bench;

// ./bench.sh fanout | pages | storm | chase | upload | scan | import: see bench/README.md.
switch (args.FirstOrDefault())
{
    case "fanout":
        return await new FanOutBenchmark(FanOutBenchmark.Options.Parse(args[1..])).RunAsync();
    case "storm":
        return await new StormBenchmark(StormBenchmark.Options.Parse(args[1..])).RunAsync();
    case "upload":
        return await new UploadBenchmark(UploadBenchmark.Options.Parse(args[1..])).RunAsync();
    case "scan":
        return await new ScanBenchmark(ScanBenchmark.Options.Parse(args[1..])).RunAsync();
    case "import":
        return await new ImportBenchmark(ImportBenchmark.Options.Parse(args[1..])).RunAsync();
    case "chase":
        return await new ChaseBenchmark(ChaseBenchmark.Options.Parse(args[1..])).RunAsync();
    case "pages":
        return await new PagesBenchmark(PagesBenchmark.Options.Parse(args[1..])).RunAsync();
    default:
        Console.Error.WriteLine("usage: Portal.Bench fanout|pages|storm|chase|upload|scan|import [options]: see bench/README.md");
        return 2;
}
