namespace Course.Experiments;

/// <summary>
/// Gaussian-process regression with a Matérn 5/2 kernel of unit variance on standardised targets: the posterior mean
/// and standard deviation at any point (Rasmussen and Williams, Gaussian Processes for Machine Learning, algorithm 2.1).
/// The length scale and the noise are chosen among a few values by the largest log marginal likelihood, which is
/// enough for the tens of points of a sweep and never fails to converge.
/// </summary>
public sealed class GaussianProcess
{
    private static readonly double[] LengthScales = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6];
    private static readonly double[] Noises = [1e-6, 1e-4, 1e-2, 1e-1];

    private readonly double[][] _x;
    private readonly double[,] _cholesky;
    private readonly double[] _alpha;

    public double LengthScale { get; }
    public double Noise { get; }

    private GaussianProcess(double[][] x, double[,] cholesky, double[] alpha, double lengthScale, double noise) =>
        (_x, _cholesky, _alpha, LengthScale, Noise) = (x, cholesky, alpha, lengthScale, noise);

    public static GaussianProcess Fit(double[][] x, double[] y)
    {
        GaussianProcess? best = null;
        var bestLikelihood = double.NegativeInfinity;
        foreach (var lengthScale in LengthScales)
            foreach (var noise in Noises)
            {
                var n = x.Length;
                var k = new double[n, n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) k[i, j] = Kernel(x[i], x[j], lengthScale) + (i == j ? noise : 0);
                if (Cholesky(k) is not { } l) continue;
                var alpha = Backward(l, Forward(l, y)); // (K + noise·I)⁻¹ y
                // log p(y) = −½ yᵀα − Σ log L_ii − (n/2) log 2π
                var likelihood = -0.5 * y.Zip(alpha).Sum(p => p.First * p.Second) - Enumerable.Range(0, n).Sum(i => Math.Log(l[i, i])) - n / 2.0 * Math.Log(2 * Math.PI);
                if (likelihood > bestLikelihood) (bestLikelihood, best) = (likelihood, new GaussianProcess(x, l, alpha, lengthScale, noise));
            }
        return best ?? throw new InvalidOperationException("No kernel setting gave a positive-definite covariance; the noise floor should prevent this.");
    }

    /// <summary>The posterior mean and standard deviation of the (noise-free) function at <paramref name="point"/>.</summary>
    public (double Mean, double StandardDeviation) Predict(double[] point)
    {
        var kStar = _x.Select(x => Kernel(x, point, LengthScale)).ToArray();
        var mean = kStar.Zip(_alpha).Sum(p => p.First * p.Second);
        var v = Forward(_cholesky, kStar);
        return (mean, Math.Sqrt(Math.Max(1 - v.Sum(e => e * e), 1e-12)));
    }

    private static double Kernel(double[] a, double[] b, double lengthScale)
    {
        var r = Math.Sqrt(a.Zip(b).Sum(p => (p.First - p.Second) * (p.First - p.Second))) * Math.Sqrt(5) / lengthScale;
        return (1 + r + r * r / 3) * Math.Exp(-r);
    }

    /// <summary>The lower-triangular L with L Lᵀ = <paramref name="a"/>, or null when a is not positive definite.</summary>
    private static double[,]? Cholesky(double[,] a)
    {
        var n = a.GetLength(0);
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (sum <= 0) return null;
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        return l;
    }

    /// <summary>z with L z = b.</summary>
    private static double[] Forward(double[,] l, double[] b)
    {
        var z = new double[b.Length];
        for (int i = 0; i < b.Length; i++)
        {
            var sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i, k] * z[k];
            z[i] = sum / l[i, i];
        }
        return z;
    }

    /// <summary>z with Lᵀ z = b.</summary>
    private static double[] Backward(double[,] l, double[] b)
    {
        var z = new double[b.Length];
        for (int i = b.Length - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (int k = i + 1; k < b.Length; k++) sum -= l[k, i] * z[k];
            z[i] = sum / l[i, i];
        }
        return z;
    }
}
