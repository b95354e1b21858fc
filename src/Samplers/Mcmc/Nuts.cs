using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Mcmc;

/// <summary>A NUTS state on the unconstrained space; the arrays are never mutated after construction.</summary>
public sealed record NutsState(double[] Position, double LogDensity, double[] Gradient);

/// <summary>
/// Diagnostics of one NUTS transition, Stan's sampler parameters: treedepth__, n_leapfrog__,
/// accept_stat__, divergent__, energy__ and stepsize__.
/// </summary>
public readonly record struct NutsInfo(int TreeDepth, int NumLeapfrog, double AcceptanceStatistic, bool Diverged, double Energy, double StepSize)
{
    /// <summary>Every leapfrog step costs one gradient evaluation.</summary>
    public int GradientEvaluations => NumLeapfrog;
}

/// <summary>
/// The No-U-Turn sampler as Stan implements it (stan/src/stan/mcmc/hmc/nuts/base_nuts.hpp):
/// Hoffman &amp; Gelman (2014) tree doubling with multinomial sampling of the trajectory,
/// biased progressive sampling between the old trajectory and a new subtree, uniform
/// progressive sampling inside a subtree, and the generalized no-U-turn criterion on the
/// momentum sum with the extra checks across merged subtrees (Betancourt 2017,
/// arXiv:1701.02434, appendix A). Diagonal Euclidean metric, leapfrog integrator.
/// <para>
/// One kernel per chain: it owns every scratch buffer, so a transition allocates only the
/// returned state. <see cref="Step"/> is pure in the BlackJAX sense: the output depends only
/// on (rng stream, state, step size, inverse metric).
/// </para>
/// </summary>
public sealed class NutsKernel
{
    private readonly IPosterior _posterior;
    private readonly int _d;
    private readonly PhasePoint _z, _zFwd, _zBck, _zSample, _zPropose;
    private readonly double[] _rho, _rhoFwd, _rhoBck, _scratch;
    private readonly double[] _pFwdFwd, _pSharpFwdFwd, _pFwdBck, _pSharpFwdBck;
    private readonly double[] _pBckFwd, _pSharpBckFwd, _pBckBck, _pSharpBckBck;
    private readonly SubtreeBuffers?[] _levels;
    private double[] _inverseMetric = [];
    private int _nLeapfrog;
    private double _sumMetroProb;
    private bool _divergent;

    public NutsKernel(IPosterior posterior, int maxTreeDepth = 10, double maxDeltaH = 1000)
    {
        if (maxTreeDepth < 1) throw new ArgumentOutOfRangeException(nameof(maxTreeDepth), "max tree depth must be at least 1");
        _posterior = posterior;
        _d = posterior.Dimension;
        MaxTreeDepth = maxTreeDepth;
        MaxDeltaH = maxDeltaH;
        _z = new PhasePoint(_d); _zFwd = new PhasePoint(_d); _zBck = new PhasePoint(_d);
        _zSample = new PhasePoint(_d); _zPropose = new PhasePoint(_d);
        _rho = new double[_d]; _rhoFwd = new double[_d]; _rhoBck = new double[_d]; _scratch = new double[_d];
        _pFwdFwd = new double[_d]; _pSharpFwdFwd = new double[_d]; _pFwdBck = new double[_d]; _pSharpFwdBck = new double[_d];
        _pBckFwd = new double[_d]; _pSharpBckFwd = new double[_d]; _pBckBck = new double[_d]; _pSharpBckBck = new double[_d];
        _levels = new SubtreeBuffers?[maxTreeDepth];
    }

    public int MaxTreeDepth { get; }

    /// <summary>A transition diverges when H(new) - H(start) exceeds this (Stan: 1000).</summary>
    public double MaxDeltaH { get; }

    public IPosterior Posterior => _posterior;

    /// <summary>The state at <paramref name="position"/> (copied); its log density may be non-finite, callers check.</summary>
    public NutsState Init(ReadOnlySpan<double> position)
    {
        var q = position.ToArray();
        var g = new double[_d];
        double lp = _posterior.LogDensityAndGradient(q, g);
        return new NutsState(q, lp, g);
    }

    /// <summary>One NUTS transition (base_nuts::transition).</summary>
    public (NutsState State, NutsInfo Info) Step(Rng rng, NutsState state, double stepSize, double[] inverseMetric)
    {
        if (!(stepSize > 0) || !double.IsFinite(stepSize)) throw new ArgumentOutOfRangeException(nameof(stepSize), $"step size must be finite and positive, got {stepSize}");
        if (inverseMetric.Length != _d) throw new ArgumentException("inverse metric length differs from the dimension", nameof(inverseMetric));
        if (!double.IsFinite(state.LogDensity)) throw new ArgumentException("NUTS needs a state with a finite log density", nameof(state));
        _inverseMetric = inverseMetric;

        _z.Load(state);
        SampleMomentum(rng, _z.P);
        _zFwd.CopyFrom(_z); _zBck.CopyFrom(_z); _zSample.CopyFrom(_z); _zPropose.CopyFrom(_z);

        // Momenta and sharp momenta (M^-1 p) at both ends of the forward and the backward subtree.
        _z.P.CopyTo(_pFwdFwd, 0);
        PSharp(_z.P, _pSharpFwdFwd);
        _pFwdFwd.CopyTo(_pFwdBck, 0); _pFwdFwd.CopyTo(_pBckFwd, 0); _pFwdFwd.CopyTo(_pBckBck, 0);
        _pSharpFwdFwd.CopyTo(_pSharpFwdBck, 0); _pSharpFwdFwd.CopyTo(_pSharpBckFwd, 0); _pSharpFwdFwd.CopyTo(_pSharpBckBck, 0);
        _z.P.CopyTo(_rho, 0);

        double logSumWeight = 0; // log(exp(H0 - H0))
        double h0 = Hamiltonian(_z);
        _nLeapfrog = 0;
        _sumMetroProb = 0;
        _divergent = false;
        int depth = 0;

        while (depth < MaxTreeDepth)
        {
            Array.Clear(_rhoFwd);
            Array.Clear(_rhoBck);
            double logSumWeightSubtree = double.NegativeInfinity;
            bool valid;
            if (rng.NextDouble() > 0.5)
            {
                // Extend forward: the old trajectory becomes the backward part.
                _z.CopyFrom(_zFwd);
                _rho.CopyTo(_rhoBck, 0);
                _pFwdBck.CopyTo(_pBckFwd, 0);
                _pSharpFwdBck.CopyTo(_pSharpBckFwd, 0);
                valid = BuildTree(depth, _zPropose, _pSharpFwdBck, _pSharpFwdFwd, _rhoFwd, _pFwdBck, _pFwdFwd,
                    h0, stepSize, rng, ref logSumWeightSubtree);
                _zFwd.CopyFrom(_z);
            }
            else
            {
                _z.CopyFrom(_zBck);
                _rho.CopyTo(_rhoFwd, 0);
                _pBckFwd.CopyTo(_pFwdBck, 0);
                _pSharpBckFwd.CopyTo(_pSharpFwdBck, 0);
                valid = BuildTree(depth, _zPropose, _pSharpBckFwd, _pSharpBckBck, _rhoBck, _pBckFwd, _pBckBck,
                    h0, -stepSize, rng, ref logSumWeightSubtree);
                _zBck.CopyFrom(_z);
            }

            if (!valid) break;
            ++depth;

            // Biased progressive sampling: favour the new subtree (Betancourt 2017, A.3.2).
            if (logSumWeightSubtree > logSumWeight) _zSample.CopyFrom(_zPropose);
            else if (rng.NextDouble() < Math.Exp(logSumWeightSubtree - logSumWeight)) _zSample.CopyFrom(_zPropose);
            logSumWeight = LogSumExp(logSumWeight, logSumWeightSubtree);

            Add(_rhoBck, _rhoFwd, _rho);
            // U-turn around the merged trajectory, then across the seam between the two halves.
            bool persist = NoUTurn(_pSharpBckBck, _pSharpFwdFwd, _rho);
            Add(_rhoBck, _pFwdBck, _scratch);
            persist &= NoUTurn(_pSharpBckBck, _pSharpFwdBck, _scratch);
            Add(_rhoFwd, _pBckFwd, _scratch);
            persist &= NoUTurn(_pSharpBckFwd, _pSharpFwdFwd, _scratch);
            if (!persist) break;
        }

        // Mean over every leapfrog state of min(1, exp(H0 - H)), rejected subtrees included (Stan).
        double acceptStat = _sumMetroProb / _nLeapfrog;
        double energy = Hamiltonian(_zSample);
        var next = new NutsState((double[])_zSample.Q.Clone(), _zSample.LogDensity, (double[])_zSample.Grad.Clone());
        return (next, new NutsInfo(depth, _nLeapfrog, acceptStat, _divergent, energy, stepSize));
    }

    /// <summary>
    /// Stan's base_hmc::init_stepsize: from <paramref name="stepSize"/>, double (or halve) the step
    /// size until the Metropolis acceptance of a single leapfrog step from a fresh momentum crosses
    /// 0.8. Bounded: a step size above 1e7 means an improper posterior (Stan's bound), one below
    /// 1e-300 a discontinuous or non-finite density; both throw <see cref="NutsFailureException"/>.
    /// </summary>
    public double FindInitialStepSize(Rng rng, NutsState state, double stepSize, double[] inverseMetric)
    {
        // Stan skips the search for degenerate inputs rather than looping on them.
        if (stepSize == 0 || stepSize > 1e7 || double.IsNaN(stepSize)) return stepSize;
        if (!double.IsFinite(state.LogDensity)) throw new ArgumentException("initial step size search needs a finite log density", nameof(state));
        _inverseMetric = inverseMetric;
        double log08 = Math.Log(0.8);
        int direction = OneStepEnergyChange(rng, state, stepSize) > log08 ? 1 : -1;
        // 1e7 is reached after 24 doublings and 1e-300 after ~1000 halvings; the cap only guards that arithmetic.
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            double deltaH = OneStepEnergyChange(rng, state, stepSize);
            if (direction == 1 && !(deltaH > log08)) return stepSize;
            if (direction == -1 && !(deltaH < log08)) return stepSize;
            stepSize = direction == 1 ? 2 * stepSize : 0.5 * stepSize;
            if (stepSize > 1e7)
                throw new NutsFailureException("Posterior is improper: the initial step size search kept doubling past 1e7 (every single leapfrog step is accepted). Please check the model.");
            if (stepSize < 1e-300)
                throw new NutsFailureException("No acceptably small step size could be found: the step size search halved below 1e-300. Perhaps the posterior is not continuous or not finite around the current point?");
        }
        throw new NutsFailureException("The initial step size search did not settle within 2000 iterations.");
    }

    /// <summary>H0 - H after one leapfrog step of size eps from <paramref name="state"/> with a fresh momentum (NaN energy counts as +inf).</summary>
    private double OneStepEnergyChange(Rng rng, NutsState state, double eps)
    {
        _z.Load(state);
        SampleMomentum(rng, _z.P);
        double h0 = Hamiltonian(_z);
        Leapfrog(_z, eps);
        double h = Hamiltonian(_z);
        if (double.IsNaN(h)) h = double.PositiveInfinity;
        return h0 - h;
    }

    /// <summary>base_nuts::build_tree: a subtree of 2^depth leapfrog steps from the current point _z.</summary>
    private bool BuildTree(int depth, PhasePoint zPropose, double[] pSharpBeg, double[] pSharpEnd, double[] rho,
        double[] pBeg, double[] pEnd, double h0, double signedStepSize, Rng rng, ref double logSumWeight)
    {
        if (depth == 0)
        {
            Leapfrog(_z, signedStepSize);
            ++_nLeapfrog;
            double h = Hamiltonian(_z);
            // A NaN (or -inf) energy is a failed point: weight 0, acceptance 0, divergent.
            if (!double.IsFinite(h)) h = double.PositiveInfinity;
            if (h - h0 > MaxDeltaH) _divergent = true;
            logSumWeight = LogSumExp(logSumWeight, h0 - h);
            _sumMetroProb += h0 - h > 0 ? 1 : Math.Exp(h0 - h);
            zPropose.CopyFrom(_z);
            PSharp(_z.P, pSharpBeg);
            pSharpBeg.CopyTo(pSharpEnd, 0);
            DenseMath.Axpy(1.0, _z.P, rho);
            _z.P.CopyTo(pBeg, 0);
            _z.P.CopyTo(pEnd, 0);
            return !_divergent;
        }

        var level = _levels[depth] ??= new SubtreeBuffers(_d);
        Array.Clear(level.RhoInit);
        Array.Clear(level.RhoFinal);

        double logSumWeightInit = double.NegativeInfinity;
        if (!BuildTree(depth - 1, zPropose, pSharpBeg, level.PSharpInitEnd, level.RhoInit, pBeg, level.PInitEnd,
                h0, signedStepSize, rng, ref logSumWeightInit))
            return false;

        double logSumWeightFinal = double.NegativeInfinity;
        if (!BuildTree(depth - 1, level.ZProposeFinal, level.PSharpFinalBeg, pSharpEnd, level.RhoFinal, level.PFinalBeg, pEnd,
                h0, signedStepSize, rng, ref logSumWeightFinal))
            return false;

        // Uniform progressive sampling between the two halves of a subtree.
        double logSumWeightSubtree = LogSumExp(logSumWeightInit, logSumWeightFinal);
        logSumWeight = LogSumExp(logSumWeight, logSumWeightSubtree);
        if (logSumWeightFinal > logSumWeightSubtree) zPropose.CopyFrom(level.ZProposeFinal);
        else if (rng.NextDouble() < Math.Exp(logSumWeightFinal - logSumWeightSubtree)) zPropose.CopyFrom(level.ZProposeFinal);

        Add(level.RhoInit, level.RhoFinal, _scratch);
        DenseMath.Axpy(1.0, _scratch, rho);
        bool persist = NoUTurn(pSharpBeg, pSharpEnd, _scratch);
        Add(level.RhoInit, level.PFinalBeg, _scratch);
        persist &= NoUTurn(pSharpBeg, level.PSharpFinalBeg, _scratch);
        Add(level.RhoFinal, level.PInitEnd, _scratch);
        persist &= NoUTurn(level.PSharpInitEnd, pSharpEnd, _scratch);
        return persist;
    }

    /// <summary>Leapfrog for H = -log p(q) + p' M^-1 p / 2 (Stan's expl_leapfrog): half kick, drift, half kick.</summary>
    internal void Leapfrog(PhasePoint z, double eps)
    {
        DenseMath.Axpy(0.5 * eps, z.Grad, z.P);
        var inv = _inverseMetric;
        for (int i = 0; i < _d; i++) z.Q[i] += eps * inv[i] * z.P[i];
        z.LogDensity = _posterior.LogDensityAndGradient(z.Q, z.Grad);
        DenseMath.Axpy(0.5 * eps, z.Grad, z.P);
    }

    internal double Hamiltonian(PhasePoint z)
    {
        double kinetic = 0;
        var inv = _inverseMetric;
        for (int i = 0; i < _d; i++) kinetic += inv[i] * z.P[i] * z.P[i];
        return -z.LogDensity + 0.5 * kinetic;
    }

    /// <summary>For tests: set the metric the internal leapfrog and Hamiltonian use.</summary>
    internal void UseInverseMetric(double[] inverseMetric) => _inverseMetric = inverseMetric;

    /// <summary>
    /// p ~ N(0, M) with M = diag(1 / inverse metric). An even number of normals is drawn so the
    /// generator never holds a cached spare normal between transitions: Rng.SaveState drops
    /// that spare, and a checkpoint must resume the exact stream.
    /// </summary>
    private void SampleMomentum(Rng rng, double[] p)
    {
        var inv = _inverseMetric;
        for (int i = 0; i < _d; i++) p[i] = rng.NextNormal() / Math.Sqrt(inv[i]);
        if ((_d & 1) == 1) rng.NextNormal();
    }

    private void PSharp(double[] p, double[] pSharp)
    {
        var inv = _inverseMetric;
        for (int i = 0; i < _d; i++) pSharp[i] = inv[i] * p[i];
    }

    private static void Add(double[] a, double[] b, double[] result)
    {
        for (int i = 0; i < result.Length; i++) result[i] = a[i] + b[i];
    }

    /// <summary>Generalized no-U-turn criterion (Betancourt 2017, eq. 4.8 style): both ends still move along rho.</summary>
    private static bool NoUTurn(double[] pSharpMinus, double[] pSharpPlus, double[] rho) =>
        DenseMath.Dot(pSharpPlus, rho) > 0 && DenseMath.Dot(pSharpMinus, rho) > 0;

    internal static double LogSumExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        double max = Math.Max(a, b);
        return max + double.LogP1(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>Per-depth buffers of build_tree's locals, allocated on first use of that depth.</summary>
    private sealed class SubtreeBuffers(int d)
    {
        public readonly PhasePoint ZProposeFinal = new(d);
        public readonly double[] PInitEnd = new double[d], PSharpInitEnd = new double[d], RhoInit = new double[d];
        public readonly double[] PFinalBeg = new double[d], PSharpFinalBeg = new double[d], RhoFinal = new double[d];
    }
}

/// <summary>A point in phase space with its cached log density and gradient (Stan's ps_point).</summary>
internal sealed class PhasePoint(int d)
{
    public readonly double[] Q = new double[d];
    public readonly double[] P = new double[d];
    public readonly double[] Grad = new double[d];
    public double LogDensity;

    public void CopyFrom(PhasePoint other)
    {
        other.Q.CopyTo(Q, 0);
        other.P.CopyTo(P, 0);
        other.Grad.CopyTo(Grad, 0);
        LogDensity = other.LogDensity;
    }

    public void Load(NutsState state)
    {
        state.Position.CopyTo(Q, 0);
        state.Gradient.CopyTo(Grad, 0);
        LogDensity = state.LogDensity;
    }
}

/// <summary>A sampler failure with a reason a user can act on (improper posterior, no finite start, metric overflow).</summary>
public sealed class NutsFailureException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
