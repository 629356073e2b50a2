using OpenCvSharp;
using SuperRes.Models;

namespace SuperRes.Inference;

/// <summary>Copies between OpenCV's interleaved BGR float images and planar NCHW tensors.</summary>
internal static class NchwLayout
{
    public static unsafe void ToNchw(Mat bgr, Span<float> nchw, ChannelOrder order, float range)
    {
        int h = bgr.Rows, w = bgr.Cols, plane = h * w;
        // Plane index of the B, G and R source channels in the tensor.
        int pb = order == ChannelOrder.Rgb ? 2 : 0, pr = order == ChannelOrder.Rgb ? 0 : 2;
        for (int y = 0; y < h; y++)
        {
            var row = (float*)bgr.Ptr(y);
            int o = y * w;
            for (int x = 0; x < w; x++, o++)
            {
                nchw[pb * plane + o] = row[3 * x] * range;
                nchw[plane + o] = row[3 * x + 1] * range;
                nchw[pr * plane + o] = row[3 * x + 2] * range;
            }
        }
    }

    public static unsafe Mat FromNchw(ReadOnlySpan<float> nchw, int h, int w, ChannelOrder order, float range)
    {
        var mat = new Mat(h, w, MatType.CV_32FC3);
        int plane = h * w;
        int pb = order == ChannelOrder.Rgb ? 2 : 0, pr = order == ChannelOrder.Rgb ? 0 : 2;
        float inv = 1f / range;
        for (int y = 0; y < h; y++)
        {
            var row = (float*)mat.Ptr(y);
            int o = y * w;
            for (int x = 0; x < w; x++, o++)
            {
                row[3 * x] = nchw[pb * plane + o] * inv;
                row[3 * x + 1] = nchw[plane + o] * inv;
                row[3 * x + 2] = nchw[pr * plane + o] * inv;
            }
        }
        return mat;
    }
}
