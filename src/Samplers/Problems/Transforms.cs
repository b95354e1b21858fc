namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Stan's constraining transforms (Stan Reference Manual, "Constraint transforms"): each maps an
/// unconstrained value to the constrained one and gives log |d constrained / d unconstrained|
/// and that log-Jacobian's derivative, so a family can add both to its density and gradient.
/// </summary>
public static class Transforms
{
    /// <summary>x > lb: x = lb + exp(u); log J = u; d logJ/du = 1.</summary>
    public static double LowerBound(double u, double lb = 0) => lb + Math.Exp(u);

    /// <summary>lb &lt; x &lt; ub: x = lb + (ub - lb) logistic(u); log J = log(ub - lb) + log logistic(u) + log(1 - logistic(u)).</summary>
    public static double LowerUpper(double u, double lb, double ub) => lb + (ub - lb) * Logistic(u);

    public static double LowerUpperLogJacobian(double u, double lb, double ub) =>
        Math.Log(ub - lb) - Log1pExp(-u) - Log1pExp(u);

    /// <summary>d/du of <see cref="LowerUpperLogJacobian"/> = 1 - 2 logistic(u).</summary>
    public static double LowerUpperLogJacobianGradient(double u) => 1 - 2 * Logistic(u);

    public static double Logistic(double u) => u >= 0 ? 1 / (1 + Math.Exp(-u)) : Math.Exp(u) / (1 + Math.Exp(u));

    /// <summary>log(1 + exp(u)) without overflow or loss of precision.</summary>
    public static double Log1pExp(double u) => u > 0 ? u + Math.Log(1 + Math.Exp(-u)) : Math.Log(1 + Math.Exp(u));
}
