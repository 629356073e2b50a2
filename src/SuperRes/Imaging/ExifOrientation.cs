using OpenCvSharp;

namespace SuperRes.Imaging;

/// <summary>Turns pixels stored in EXIF orientation 2..8 upright (the same mapping OpenCV applies for IMREAD_COLOR).</summary>
internal static class ExifOrientation
{
    public static Mat Apply(Mat src, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return src;
        }
        var dst = new Mat();
        switch (orientation)
        {
            case 2: Cv2.Flip(src, dst, FlipMode.Y); break;
            case 3: Cv2.Flip(src, dst, FlipMode.XY); break;
            case 4: Cv2.Flip(src, dst, FlipMode.X); break;
            default:
                Cv2.Transpose(src, dst);
                if (orientation != 5)
                {
                    Cv2.Flip(dst, dst, orientation switch { 6 => FlipMode.Y, 7 => FlipMode.XY, _ => FlipMode.X });
                }
                break;
        }
        src.Dispose();
        return dst;
    }
}
