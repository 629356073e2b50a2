using SuperRes.Models;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Models;

public class ModelStoreTests
{
    [Fact]
    public async Task Without_a_workshop_the_bundled_models_install_and_npm_models_are_refused_with_the_reason()
    {
        using var temp = new TempFolder();
        var resolver = new ModelResolver(new ModelStore(temp.Path));
        var e = await Assert.ThrowsAsync<ModelException>(() => resolver.ResolveAsync("esrgan-slim", 2));
        Assert.Equal(ModelProblem.NoWorkshop, e.Reason);
        Assert.Contains("SuperRes.Models.Tools", e.Message);
        Assert.Equal(2, (await resolver.ResolveAsync("superres-edsr", 2)).Scale);
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
    public void An_explicit_store_folder_wins()
    {
        Assert.Equal(Path.GetFullPath("/some/where"), new ModelStore("/some/where").Root);
    }
}
