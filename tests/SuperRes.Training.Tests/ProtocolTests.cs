using OpenCvSharp;

namespace SuperRes.Training.Tests;

/// <summary>Training makes its LR inputs with its own copy of the protocol's resize: it must give the benchmark's files.</summary>
public class ProtocolTests
{
    [Theory]
    [InlineData("Set5", 2)]
    [InlineData("Set5", 3)]
    [InlineData("Set5", 4)]
    [InlineData("Set14", 2)]
    [InlineData("Set14", 3)]
    [InlineData("Set14", 4)]
    public async Task Trainings_resize_reproduces_the_benchmark_low_resolution_files(string dataset, int scale)
    {
        using var folder = new TempFolder();
        string set = Path.Combine(TestPaths.Shared, "datasets", dataset);
        var hr = Directory.GetFiles(set, "*.png").Order(StringComparer.Ordinal).ToArray();
        await TrainingRun.RunAsync(["lr", "--scale", scale.ToString(), "--output", folder.Path, .. hr]);
        foreach (var path in hr)
        {
            string name = Path.GetFileName(path);
            using var ours = TestImage.Read(folder.File(name));
            using var expected = TestImage.Read(Path.Combine(set, "LR_bicubic", $"X{scale}", name));
            Assert.Equal(expected.Size(), ours.Size());
            Assert.Equal(expected.Channels(), ours.Channels());
            using var diff = new Mat();
            Cv2.Absdiff(ours, expected, diff);
            Assert.True(Cv2.CountNonZero(diff.Reshape(1)) == 0, $"{dataset}/{name} x{scale} differs from LR_bicubic");
        }
    }
}
