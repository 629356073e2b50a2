using OpenCvSharp;

namespace SuperRes.Inference;

/// <summary>
/// Self-ensemble (geometric ensemble, as in EDSR): the tile is run in its 8 orientations (4 rotations, each
/// also mirrored), every output is turned back, and the 8 are averaged. Models see each structure the ways
/// they were trained to, and their errors partly cancel: a few tenths of a dB for 8 times the work. A decorator: it is
/// an engine wrapped around another (which it does not own), so the tiling runs it like any engine.
/// </summary>
public sealed class SelfEnsemble(ISuperResEngine engine) : ISuperResEngine
{
    public const int Orientations = 8;

    /// <summary>Wraps an engine; what the tiling is given for a request that asks for self-ensemble.</summary>
    public static ISuperResEngine Around(ISuperResEngine engine) => new SelfEnsemble(engine);

    public bool ReplansPerShape => engine.ReplansPerShape;

    public bool PrefersFixedShape => engine.PrefersFixedShape;

    public long Initializations => engine.Initializations;

    public Mat Run(Mat bgrTile, CancellationToken ct = default) => Run(engine, bgrTile, ct);

    /// <summary>The wrapped engine belongs to its pool.</summary>
    public void Dispose()
    {
    }

    /// <summary>Runs <paramref name="tile"/> (CV_32FC3) in every orientation through <paramref name="engine"/> and returns the mean output.</summary>
    public static Mat Run(ISuperResEngine engine, Mat tile, CancellationToken ct = default)
    {
        Mat? sum = null;
        try
        {
            for (int i = 0; i < Orientations; i++)
            {
                using var turned = Orient(tile, i);
                using var output = engine.Run(turned, ct);
                using var back = Unorient(output, i);
                if (sum is null)
                {
                    sum = back.Clone();
                }
                else
                {
                    Cv2.Add(sum, back, sum);
                }
            }
            sum!.ConvertTo(sum, sum.Type(), 1.0 / Orientations);
            return sum;
        }
        catch
        {
            sum?.Dispose();
            throw;
        }
    }

    /// <summary>Orientation i: bit 2 transposes first, then bits 0 and 1 mirror left-right and top-bottom.</summary>
    public static Mat Orient(Mat m, int i)
    {
        var result = new Mat();
        if ((i & 4) != 0)
        {
            Cv2.Transpose(m, result);
        }
        else
        {
            m.CopyTo(result);
        }
        Mirror(result, i);
        return result;
    }

    /// <summary>The inverse of <see cref="Orient"/>: mirrors undone first, then the transpose.</summary>
    public static Mat Unorient(Mat m, int i)
    {
        var mirrored = m.Clone();
        Mirror(mirrored, i);
        if ((i & 4) == 0)
        {
            return mirrored;
        }
        using (mirrored)
        {
            var result = new Mat();
            Cv2.Transpose(mirrored, result);
            return result;
        }
    }

    private static void Mirror(Mat m, int i)
    {
        switch (i & 3)
        {
            case 1:
                Cv2.Flip(m, m, FlipMode.Y);
                break;
            case 2:
                Cv2.Flip(m, m, FlipMode.X);
                break;
            case 3:
                Cv2.Flip(m, m, FlipMode.XY);
                break;
        }
    }
}
