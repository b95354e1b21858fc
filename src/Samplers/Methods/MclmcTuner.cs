using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Diagnostics;

namespace SamplerTune.Samplers.Methods;

public enum MclmcTuningPhase { StepSizeAndL, PreconditionedStepSize, L, Done, Collapsed }

/// <summary>Plain-data state of <see cref="MclmcTuner"/>, for checkpoints.</summary>
public sealed record MclmcTunerState(
    MclmcTuningPhase Phase,
    int StepInPhase,
    double StepSize,
    double L,
    double[]? SqrtDiagCov,
    double WeightSum,
    double WeightedXi,
    double StepSizeMax,
    double StreamWeight,
    double[] StreamMean,
    double[] StreamMeanSquare,
    double[] Stage3Positions);

/// <summary>
/// The three-stage tuning of MCLMC's step size and L (BlackJAX adaptation/mclmc_adaptation.py,
/// mclmc_find_L_and_step_size; Robnik et al. 2023, §3), one kernel step at a time so that a run can
/// be sliced and checkpointed in the middle of it. With N = tune_steps:
/// <list type="number">
/// <item>Stages 1 and 2 (10% + 10% of N): after every step, xi = dE^2 / (d * 5e-4) + 1e-8 and the
/// weight w = exp(-0.5 (ln xi / (6 * 1.5))^2) enter exponential averages (decay (N'-1)/(N'+1),
/// N' = 150) of w xi / eps^6 and w; eps = (avg ratio)^(-1/6) (Var E ∝ eps^6), capped by eps_max,
/// which a divergence sets to 0.8 eps. Stage 2 also averages x and x^2 (weights eps):
/// L = sqrt(sum of variances), or with preconditioning sigma = sqrt(variances), L = sqrt(d) and
/// N/30 more steps re-tune eps under the new metric.</item>
/// <item>Stage 3 (10% of N): fixed parameters; L = 0.4 eps mean_i(n / ESS_i) (ESS as BlackJAX: basic, one
/// unsplit chain; over at most 1024 evenly spaced coordinates to bound memory for large d).</item>
/// </list>
/// Start: L = sqrt(d), eps = 0.25 sqrt(d). A step size below 1e-8 ends the tuning as collapsed.
/// </summary>
public sealed class MclmcTuner
{
    public const double DesiredEnergyVariance = 5e-4;
    public const double TrustInEstimate = 1.5;
    public const double NumEffectiveSamples = 150;
    public const double CollapsedStepSize = 1e-8;
    private const double DecayRate = (NumEffectiveSamples - 1) / (NumEffectiveSamples + 1);

    /// <summary>Stage 3 keeps the chain of at most this many (evenly spaced) coordinates, bounding its memory for large d.</summary>
    public const int MaxStage3Coordinates = 1024;

    private readonly int _dimension;
    private readonly int[] _stage3Coordinates;
    private readonly int _stage1, _stage2, _stage3, _preconditioned;
    private readonly bool _precondition;
    private MclmcTunerState _s;

    public MclmcTuner(int dimension, int tuneSteps, bool precondition, MclmcTunerState? state = null)
    {
        _dimension = dimension;
        _precondition = precondition;
        _stage1 = (int)(tuneSteps * 0.1);
        _stage2 = (int)(tuneSteps * 0.1);
        _stage3 = (int)(tuneSteps * 0.1);
        _preconditioned = precondition && _stage2 > 0 ? _stage2 / 3 : 0;
        int tracked = Math.Min(dimension, MaxStage3Coordinates);
        _stage3Coordinates = Enumerable.Range(0, tracked).Select(k => (int)((long)k * dimension / tracked)).ToArray();
        _s = state ?? new MclmcTunerState(MclmcTuningPhase.StepSizeAndL, 0, 0.25 * Math.Sqrt(dimension), Math.Sqrt(dimension), null,
            0, 0, double.PositiveInfinity, 0, new double[dimension], new double[dimension], new double[_stage3 * tracked]);
        SkipEmptyPhases();
    }

    public MclmcTunerState State => _s;
    public bool Finished => _s.Phase is MclmcTuningPhase.Done or MclmcTuningPhase.Collapsed;
    public bool Collapsed => _s.Phase == MclmcTuningPhase.Collapsed;
    public MclmcParameters Parameters => new(_s.StepSize, _s.L, _s.SqrtDiagCov);

    /// <summary>Runs one kernel step from <paramref name="current"/> into <paramref name="next"/> with the current parameters and learns from it.</summary>
    public MclmcInfo Step(MclmcKernel kernel, Rng rng, MclmcState current, MclmcState next)
    {
        if (Finished) throw new InvalidOperationException("the MCLMC tuning has finished");
        var info = kernel.Step(rng, Parameters, current, next);
        switch (_s.Phase)
        {
            case MclmcTuningPhase.StepSizeAndL:
                PredictStepSize(info);
                if (_s.StepInPhase >= _stage1 && !info.Diverged) StreamAverage(next.Position, _s.StepSize);
                break;
            case MclmcTuningPhase.PreconditionedStepSize:
                PredictStepSize(info);
                break;
            case MclmcTuningPhase.L:
                int offset = _s.StepInPhase * _stage3Coordinates.Length;
                for (int k = 0; k < _stage3Coordinates.Length; k++) _s.Stage3Positions[offset + k] = next.Position[_stage3Coordinates[k]];
                break;
        }
        _s = _s with { StepInPhase = _s.StepInPhase + 1 };
        if (_s.StepSize < CollapsedStepSize) _s = _s with { Phase = MclmcTuningPhase.Collapsed };
        else SkipEmptyPhases();
        return info;
    }

    /// <summary>BlackJAX's predictor: the eps^6 energy-variance model, with a divergence lowering eps_max.</summary>
    private void PredictStepSize(MclmcInfo info)
    {
        double eps = _s.StepSize, epsMax = _s.StepSizeMax, energyChange = info.EnergyChange;
        if (info.Diverged) { epsMax = 0.8 * eps; energyChange = 0; }
        double xi = energyChange * energyChange / (_dimension * DesiredEnergyVariance) + 1e-8;
        double w = Math.Exp(-0.5 * Math.Pow(Math.Log(xi) / (6 * TrustInEstimate), 2));
        double weightedXi = DecayRate * _s.WeightedXi + w * xi / Math.Pow(eps, 6);
        double weightSum = DecayRate * _s.WeightSum + w;
        double next = Math.Min(Math.Pow(weightedXi / weightSum, -1.0 / 6), epsMax);
        if (double.IsNaN(next)) next = 0.8 * eps;
        _s = _s with { StepSize = next, StepSizeMax = epsMax, WeightedXi = weightedXi, WeightSum = weightSum };
    }

    /// <summary>BlackJAX's streaming_average of x and x^2 with weight <paramref name="weight"/>.</summary>
    private void StreamAverage(double[] x, double weight)
    {
        double total = _s.StreamWeight + weight;
        if (!(total > 0)) return;
        double keep = _s.StreamWeight / total, add = weight / total;
        for (int j = 0; j < _dimension; j++)
        {
            _s.StreamMean[j] = keep * _s.StreamMean[j] + add * x[j];
            _s.StreamMeanSquare[j] = keep * _s.StreamMeanSquare[j] + add * x[j] * x[j];
        }
        _s = _s with { StreamWeight = total };
    }

    private void SkipEmptyPhases()
    {
        while (true)
        {
            switch (_s.Phase)
            {
                case MclmcTuningPhase.StepSizeAndL when _s.StepInPhase >= _stage1 + _stage2:
                    EndStepSizeAndL();
                    continue;
                case MclmcTuningPhase.PreconditionedStepSize when _s.StepInPhase >= _preconditioned:
                    _s = _s with { Phase = MclmcTuningPhase.L, StepInPhase = 0 };
                    continue;
                case MclmcTuningPhase.L when _s.StepInPhase >= _stage3:
                    EndL();
                    continue;
                default:
                    return;
            }
        }
    }

    private void EndStepSizeAndL()
    {
        var next = _s with { Phase = MclmcTuningPhase.L, StepInPhase = 0 };
        if (_stage2 > 0 && _s.StreamWeight > 0)
        {
            var variances = new double[_dimension];
            double sum = 0;
            bool usable = true;
            for (int j = 0; j < _dimension; j++)
            {
                variances[j] = _s.StreamMeanSquare[j] - _s.StreamMean[j] * _s.StreamMean[j];
                usable &= variances[j] > 0 && double.IsFinite(variances[j]);
                sum += variances[j];
            }
            if (usable)
            {
                if (_precondition)
                {
                    var sigma = new double[_dimension];
                    for (int j = 0; j < _dimension; j++) sigma[j] = Math.Sqrt(variances[j]);
                    // The new metric changes the stability limit: forget the step-size averages and eps_max.
                    next = next with
                    {
                        Phase = MclmcTuningPhase.PreconditionedStepSize, SqrtDiagCov = sigma, L = Math.Sqrt(_dimension),
                        WeightSum = 0, WeightedXi = 0, StepSizeMax = double.PositiveInfinity,
                    };
                }
                else next = next with { L = Math.Sqrt(sum) };
            }
        }
        _s = next;
    }

    private void EndL()
    {
        double l = _s.L;
        if (_stage3 > 0)
        {
            double sum = 0;
            int count = 0;
            var chain = new double[_stage3];
            int tracked = _stage3Coordinates.Length;
            for (int k = 0; k < tracked; k++)
            {
                for (int i = 0; i < _stage3; i++) chain[i] = _s.Stage3Positions[i * tracked + k];
                double ess = ConvergenceDiagnostics.EssBasic([chain], split: false);
                if (ess > 0 && double.IsFinite(ess)) { sum += _stage3 / ess; count++; }
            }
            if (count > 0) l = 0.4 * _s.StepSize * sum / count;
        }
        _s = _s with { Phase = MclmcTuningPhase.Done, L = l, Stage3Positions = [] };
    }
}
