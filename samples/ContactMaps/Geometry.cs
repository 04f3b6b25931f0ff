using System;

namespace ContactMaps;

/// <summary>Backbone geometry: the ideal Cβ built from N, Cα and C, as contact predictors do when Cβ is missing.</summary>
public static class Geometry
{
    /// <summary>
    /// The ideal Cβ position of a residue from its N, Cα and C atoms (each <c>x, y, z</c> in Å):
    /// <c>Cβ = −0.58273431·a + 0.56802827·b − 0.54067466·c + Cα</c> with <c>b = Cα − N</c>, <c>c = C − Cα</c>,
    /// <c>a = b × c</c>; tetrahedral, 1.52 Å from Cα. Glycine gets this virtual Cβ too.
    /// </summary>
    public static (double X, double Y, double Z) IdealBeta((double X, double Y, double Z) n, (double X, double Y, double Z) ca, (double X, double Y, double Z) c)
    {
        var b = (X: ca.X - n.X, Y: ca.Y - n.Y, Z: ca.Z - n.Z);
        var d = (X: c.X - ca.X, Y: c.Y - ca.Y, Z: c.Z - ca.Z);
        var a = (X: b.Y * d.Z - b.Z * d.Y, Y: b.Z * d.X - b.X * d.Z, Z: b.X * d.Y - b.Y * d.X);
        return (-0.58273431 * a.X + 0.56802827 * b.X - 0.54067466 * d.X + ca.X,
                -0.58273431 * a.Y + 0.56802827 * b.Y - 0.54067466 * d.Y + ca.Y,
                -0.58273431 * a.Z + 0.56802827 * b.Z - 0.54067466 * d.Z + ca.Z);
    }

    /// <summary>The distance between two points in Å.</summary>
    public static double Distance((double X, double Y, double Z) p, (double X, double Y, double Z) q) =>
        Math.Sqrt((p.X - q.X) * (p.X - q.X) + (p.Y - q.Y) * (p.Y - q.Y) + (p.Z - q.Z) * (p.Z - q.Z));
}
