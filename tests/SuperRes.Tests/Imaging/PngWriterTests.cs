using System.Buffers.Binary;
using System.IO.Compression;
using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Imaging;

public class PngWriterTests
{
    [Theory]
    [InlineData(MatType.CV_8U, 1)]
    [InlineData(MatType.CV_8U, 3)]
    [InlineData(MatType.CV_8U, 4)]
    [InlineData(MatType.CV_16U, 1)]
    [InlineData(MatType.CV_16U, 3)]
    [InlineData(MatType.CV_16U, 4)]
    public void Every_layout_reads_back_through_libpng_bit_for_bit(int depth, int channels)
    {
        // 601 rows: three blocks, the last one short; an odd width so rows do not fill whole vectors.
        using var pixels = new Mat(601, 333, MatType.MakeType(depth, channels));
        Cv2.Randu(pixels, Scalar.All(0), Scalar.All(depth == MatType.CV_16U ? 65536 : 256));
        var png = PngWriter.Encode(pixels, null);
        using var back = TestImage.Decode(png); // libvips' loader, which is libpng
        Assert.Equal(pixels.Size(), back.Size());
        Assert.Equal(pixels.Type(), back.Type());
        Assert.Equal(0, Pixels.MaxAbsDiff(pixels, back));
    }

    [Fact]
    public void The_blocks_form_one_zlib_stream_whose_checksum_holds()
    {
        using var image = TestData.Read(TestData.Set5Image("butterfly"));
        using var tall = new Mat();
        Cv2.VConcat([image, image, image], tall); // 768 rows: three blocks
        var png = PngWriter.Encode(tall, IccProfiles.DisplayP3);

        using var idat = new MemoryStream();
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (System.Text.Encoding.ASCII.GetString(png, at + 4, 4) == "IDAT")
            {
                idat.Write(png, at + 8, length);
            }
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated); // throws on a wrong Adler-32
        }
        Assert.Equal(tall.Rows * (1L + tall.Cols * 3), inflated.Length);
        Assert.Equal(IccProfiles.DisplayP3, ImageMetadataReader.ReadIccProfile(png));
    }

    [Fact]
    public void An_upscaled_picture_is_smaller_than_libvips_pngsave_at_zlib_1()
    {
        using var source = TestData.Read(TestData.Set5Image("butterfly"));
        using var upscaled = new Mat();
        Cv2.Resize(source, upscaled, new Size(), 3, 3, InterpolationFlags.Cubic);
        var ours = PngWriter.Encode(upscaled, null);
        SuperRes.Imaging.Vips.VipsRuntime.Ensure();
        using var rgb = new Mat();
        Cv2.CvtColor(upscaled, rgb, ColorConversionCodes.BGR2RGB);
        using var vips = NetVips.Image.NewFromMemory(rgb.Data, (ulong)(rgb.Total() * 3), rgb.Cols, rgb.Rows, 3, NetVips.Enums.BandFormat.Uchar);
        var theirs = vips.PngsaveBuffer(compression: 1, filter: NetVips.Enums.ForeignPngFilter.Up);
        Assert.True(ours.Length < theirs.Length, $"{ours.Length} bytes against libvips' {theirs.Length}");
    }

    [Fact]
    public void A_flat_picture_shrinks_to_almost_nothing()
    {
        // 18 MB of one colour: after the filter, each row is one run of zeros, which the run-length strategy keeps as
        // a few matches; literal codes alone could not go below one bit a byte (2.25 MB).
        using var flat = new Mat(2000, 3000, MatType.CV_8UC3, new Scalar(40, 90, 200));
        var png = PngWriter.Encode(flat, null);
        Assert.True(png.Length < 200_000, $"{png.Length} bytes");
        using var back = TestImage.Decode(png);
        Assert.Equal(0, Pixels.MaxAbsDiff(flat, back));
    }

    [Fact]
    public async Task A_png_compressed_while_the_tiles_run_is_the_file_written_at_the_end()
    {
        // Tiles of 48 on a 512x512 picture at x3: 1536 output rows in six blocks, most started before the last tile row.
        var input = File.ReadAllBytes(TestData.Set5Image("baby"));
        var request = new UpscaleRequest { Scale = 3, TileSize = 48, Restore = SuperRes.Restoration.Restore.Fixed(0) };
        var png = await TestModels.Upscaler.UpscaleAsync(input, request with { Format = ImageFormat.Png });
        var tiff = await TestModels.Upscaler.UpscaleAsync(input, request with { Format = ImageFormat.Tiff });
        using var pixels = TestImage.Decode(tiff.Data);
        Assert.Equal(PngWriter.Encode(pixels, null), png.Data);
    }
}
