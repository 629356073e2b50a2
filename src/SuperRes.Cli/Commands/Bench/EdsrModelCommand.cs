using System.CommandLine;
using SuperRes.Models.Onnx;
using SuperRes.Models.Tools.Onnx;
using SuperRes.Models.Tools.Zoo;

namespace SuperRes.Cli.Commands.Bench;

/// <summary>Writes the recipe-shaped EDSR with random weights (38 M parameters at the defaults) as a speed benchmark model.</summary>
public static class EdsrModelCommand
{
    private static readonly Option<string> Output = new("--output", "-o") { Description = "File to write: .onnx, or .pb for the TensorFlow graph dnn_superres loads (weights quint8, as EDSR_x3.pb).", Required = true };
    private static readonly Option<int> Blocks = new("--blocks") { Description = "Residual blocks.", DefaultValueFactory = _ => 32 };
    private static readonly Option<int> Filters = new("--filters") { Description = "Filters per convolution.", DefaultValueFactory = _ => 256 };
    private static readonly Option<int> Scale = new("--scale", "-s") { Description = "Upscaling factor.", DefaultValueFactory = _ => 3 };

    public static Command Create()
    {
        var command = new Command("edsr-model", "Write an EDSR network with random weights (the recipe's EDSR_x3 shape) as ONNX or as a TensorFlow .pb.")
        {
            Output, Blocks, Filters, Scale,
        };
        command.SetAction(r =>
        {
            var shape = new EdsrModelBuilder.Shape(r.GetValue(Blocks), r.GetValue(Filters), r.GetValue(Scale));
            var path = r.GetValue(Output)!;
            if (Path.GetExtension(path).Equals(".pb", StringComparison.OrdinalIgnoreCase))
            {
                SuperRes.Models.Tools.Zoo.EdsrGraphDefBuilder.Write(path, shape);
            }
            else
            {
                EdsrModelBuilder.Write(path, shape);
            }
            Console.WriteLine($"Wrote {path}: EDSR {shape.Blocks} blocks x {shape.Filters} filters, x{shape.Scale}, {shape.Parameters / 1e6:0.0} M parameters, {new FileInfo(path).Length / 1e6:0} MB.");
            return 0;
        });
        return command;
    }
}
