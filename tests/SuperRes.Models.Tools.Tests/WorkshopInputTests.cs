using SuperRes.Models;
using SuperRes.Models.Tools.Npm;
using SuperRes.Models.Tools.Tfjs;

namespace SuperRes.Models.Tools.Tests;

/// <summary>What the workshop refuses in what it downloads and converts.</summary>
public class WorkshopInputTests
{
    [Fact]
    public void A_model_json_cannot_make_the_importer_read_files_outside_its_folder()
    {
        using var folder = new TempFolder();
        var secret = folder.File("secret.bin");
        File.WriteAllBytes(secret, new byte[64]);
        var model = Directory.CreateDirectory(folder.File("model")).FullName;
        File.WriteAllText(Path.Combine(model, "model.json"), """
            {"format": "layers-model", "modelTopology": {"model_config": {"class_name": "Model", "config": {"layers": [], "output_layers": [["x", 0, 0]]}}},
             "weightsManifest": [{"paths": ["../secret.bin"], "weights": [{"name": "w", "shape": [16], "dtype": "float32"}]}]}
            """);
        var e = Assert.Throws<ModelException>(() => TfjsModelFile.Load(Path.Combine(model, "model.json")));
        Assert.Contains("outside the model's folder", e.Message);
    }

    [Fact]
    public void Download_that_does_not_match_its_checksum_is_refused()
    {
        using var temp = new TempFolder();
        var file = temp.File("package.tgz");
        File.WriteAllBytes(file, "tampered"u8.ToArray());
        var e = Assert.Throws<ModelException>(() => NpmClient.VerifyIntegrity(file, ModelCatalog.Find("esrgan-slim")!.Integrity, "@upscalerjs/esrgan-slim"));
        Assert.Contains("does not match its published checksum", e.Message);
    }
}
