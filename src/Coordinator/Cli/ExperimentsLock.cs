using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// One coordinator per experiments folder: two processes writing the same journal would tell trials
/// twice. The lock is an OS file lock (released when the process dies, even by SIGKILL), on
/// experiments/.coordinator.lock, which also records the holder's process id for the error message.
/// </summary>
public sealed class ExperimentsLock : IDisposable
{
    private readonly FileStream _stream;

    private ExperimentsLock(FileStream stream) => _stream = stream;

    public static ExperimentsLock Acquire(ExperimentsLayout layout)
    {
        Directory.CreateDirectory(layout.Root);
        var path = Path.Combine(layout.Root, ".coordinator.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var w = new StreamWriter(stream, leaveOpen: true)) w.Write(Environment.ProcessId);
            stream.Flush();
            return new ExperimentsLock(stream);
        }
        catch (IOException)
        {
            string holder = "";
            try { holder = File.ReadAllText(path).Trim(); } catch (IOException) { }
            throw new UserInputError($"{layout.Root} is in use by another samplertune run or coordinator{(holder.Length > 0 ? $" (process {holder})" : "")}; wait for it or stop it first");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UserInputError($"{layout.Root}: not writable (a run needs to write its journal and run folders there)");
        }
    }

    public void Dispose() => _stream.Dispose();
}
