namespace SamplerTune.Worker.Actors;

/// <summary>A worker's settings (hocon/worker.conf, samplertune.worker) and where the experiments folder is.</summary>
public sealed record WorkerSettings(
    string ExperimentsRoot,
    int Slots,
    TimeSpan BudgetSlack,
    TimeSpan GracePeriod,
    TimeSpan ProgressInterval,
    TimeSpan ShutdownWait);
