using SuperRes.Models;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Models;

public class ModelStoreTests
{
    [Fact]
    public async Task Pull_fetches_from_npm_checks_integrity_and_converts_every_scale()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        var steps = new List<ModelInstallProgress>();
        var manifest = await new ModelResolver(store).InstallAsync("esrgan-slim", new SyncProgress<ModelInstallProgress>(steps.Add), default);

        Assert.Equal([2, 3, 4, 8], manifest.Files.Keys);
        Assert.All(manifest.Files.Values, f => Assert.True(new FileInfo(Path.Combine(store.FolderOf("esrgan-slim"), f)).Length > 100_000));
        Assert.Equal("@upscalerjs/esrgan-slim@1.0.0", manifest.Source);
        Assert.Contains(steps, s => s.Description.StartsWith("Downloading @upscalerjs/esrgan-slim", StringComparison.Ordinal));
        Assert.Equal(steps[^1].Steps, steps[^1].Step);
        Assert.Equal("esrgan-slim", Assert.Single(store.List()).Name);
        // No download leftovers in the store.
        Assert.Equal([store.FolderOf("esrgan-slim")], Directory.GetDirectories(temp.Path));
    }

    [Fact]
    public async Task Bundled_model_installs_without_download_and_an_older_copy_is_refreshed()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        var resolver = new ModelResolver(store);
        var first = await resolver.ResolveAsync("superres-edsr", 4);
        Assert.Equal(File.ReadAllBytes(Path.Combine(CatalogEntry.BundledFolder, "superres-edsr-x4.onnx")), File.ReadAllBytes(first.FilePath));
        var installed = store.Find("superres-edsr")!;
        Assert.Equal([2, 3, 4], installed.Files.Keys);

        // What an earlier SuperRes left: other x3 weights, no x2 or x4, and the fingerprint of its own files.
        var folder = store.FolderOf("superres-edsr");
        File.Copy(await TestModels.OnnxFile("esrgan-slim", 3), Path.Combine(folder, "x3.onnx"), overwrite: true);
        File.Delete(Path.Combine(folder, "x2.onnx"));
        store.Register(installed with { Files = new() { [3] = "x3.onnx" }, Fingerprint = "from-an-earlier-release" });

        var refreshed = await resolver.ResolveAsync("superres-edsr", 2);
        Assert.Equal(2, refreshed.Scale);
        Assert.Equal([2, 3, 4], store.Find("superres-edsr")!.Files.Keys);
        Assert.Equal(File.ReadAllBytes(Path.Combine(CatalogEntry.BundledFolder, "superres-edsr-x3.onnx")), File.ReadAllBytes(Path.Combine(folder, "x3.onnx")));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void Import_of_a_zoo_file_reads_algorithm_and_scale_from_its_name_and_converts_it_to_onnx()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        new ModelImporter(store).Import(TestData.Zoo("FSRCNN-small_x3.pb"));
        var manifest = new ModelImporter(store).Import(TestData.Zoo("FSRCNN-small_x4.pb"));
        Assert.Equal("fsrcnn-small", manifest.Name);
        Assert.Equal(ModelKind.Onnx, manifest.Kind); // the graph's conversion agreed with dnn_superres
        Assert.Equal((ChannelOrder.Bgr, 255f), (manifest.Channels, manifest.Range));
        Assert.Equal("FSRCNN-small_x4.pb", manifest.Source);
        Assert.Equal([3, 4], manifest.Files.Keys);
        Assert.Equal(["x3.onnx", "x4.onnx"], manifest.Files.Values);
    }

    [Fact]
    public async Task Import_of_an_onnx_file_measures_its_scale()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        var onnx = await TestModels.OnnxFile("esrgan-slim", 4);
        var copy = temp.File("my-model.onnx");
        File.Copy(onnx, copy);
        var manifest = new ModelImporter(store).Import(copy, name: "mine");
        Assert.Equal([4], manifest.Files.Keys);
        var resolved = await new ModelResolver(store).ResolveAsync("mine", null);
        Assert.Equal(4, resolved.Scale);
    }

    [Fact]
    public void An_explicit_store_folder_wins()
    {
        Assert.Equal(Path.GetFullPath("/some/where"), new ModelStore("/some/where").Root);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
