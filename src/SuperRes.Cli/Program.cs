using System.CommandLine;
using SuperRes.Cli;
using SuperRes.Cli.Commands;

SuperRes.Imaging.Vips.NativeLoadOrder.Load(); // libvips' codecs bound before OpenCV's native library loads
SuperRes.NativeHeap.ReturnLargeBlocks(); // band-sized buffers back to the system when freed (see NativeHeap)
var root = new RootCommand("SuperRes: AI image super-resolution (2x, 3x, 4x) on the CPU.")
{
    UpscaleCommand.Create(),
    ModelsCommand.Create(),
    SuperRes.Cli.Commands.Bench.BenchCommand.Create(),
    ServeCommand.Create(),
    WorkerCommand.Create(),
};
return await CommandLine.RunAsync(root, args);
