namespace SamplerTune.Worker.Actors;

/// <summary>
/// A worker's settings (hocon/worker.conf, samplertune.worker), where the experiments folder is, and that folder's id
/// (cluster/experiments.id; the coordinator refuses a worker whose id is not its own).
/// </summary>
public sealed record WorkerSettings(
    string ExperimentsRoot,
    int Slots,
    TimeSpan BudgetSlack,
    TimeSpan GracePeriod,
    TimeSpan ProgressInterval,
    TimeSpan ShutdownWait,
    string? ExperimentsId);
