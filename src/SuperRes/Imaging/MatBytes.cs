using System.Runtime.InteropServices;
using OpenCvSharp;

namespace SuperRes.Imaging;

/// <summary>Copies 8-bit pixels between a Mat (any channel count, continuous or not) and an interleaved byte array.</summary>
public static class MatBytes
{
    public static byte[] Read(Mat mat)
    {
        int rows = mat.Rows, rowBytes = mat.Cols * mat.Channels();
        var bytes = new byte[rows * rowBytes];
        for (int y = 0; y < rows; y++)
        {
            Marshal.Copy(mat.Ptr(y), bytes, y * rowBytes, rowBytes);
        }
        return bytes;
    }

    public static Mat Write(byte[] bytes, int rows, int cols, int channels)
    {
        var mat = new Mat(rows, cols, MatType.MakeType(MatType.CV_8U, channels));
        int rowBytes = cols * channels;
        for (int y = 0; y < rows; y++)
        {
            Marshal.Copy(bytes, y * rowBytes, mat.Ptr(y), rowBytes);
        }
        return mat;
    }
}
