namespace SamplerTune.Worker; public static class Program { public static int Main(string[] args) { System.Console.WriteLine("samplertune-worker: cluster worker (see issue 7)"); return 0; } }
