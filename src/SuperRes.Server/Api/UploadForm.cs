using Microsoft.AspNetCore.Http;
using SuperRes.Imaging;
using SuperRes.Models;
using SuperRes.Server.Jobs;

namespace SuperRes.Server.Api;

/// <summary>
/// Reads the multipart fields every upscale endpoint takes (image, scale, model, format, quality) and
/// validates them. The upload is kept in memory under no name of the client's choosing.
/// </summary>
public static class UploadForm
{
    public sealed record Parsed(byte[] Image, UpscaleParameters Parameters);

    /// <returns>The parsed form, or a 400/413 problem result.</returns>
    public static async Task<(Parsed? Form, IResult? Problem)> ReadAsync(HttpRequest request, ServerOptions options, ModelStore store, CancellationToken ct)
    {
        if (request.ContentLength > options.MaxUploadBytes + 64 * 1024)
        {
            return (null, Results.Problem(statusCode: 413, title: "Upload too large",
                detail: $"The upload is {request.ContentLength} bytes; the limit is {options.MaxUploadBytes} bytes."));
        }
        if (!request.HasFormContentType)
        {
            return (null, Invalid("form", "Send multipart/form-data with the image in a field named \"image\"."));
        }
        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("image");
        if (file is null)
        {
            return (null, Invalid("image", "The form has no file field named \"image\"."));
        }
        if (file.Length > options.MaxUploadBytes)
        {
            return (null, Results.Problem(statusCode: 413, title: "Upload too large",
                detail: $"The image is {file.Length} bytes; the limit is {options.MaxUploadBytes} bytes."));
        }

        var errors = new Dictionary<string, string[]>();
        int scale = options.DefaultScale;
        if (form.TryGetValue("scale", out var s) && !string.IsNullOrEmpty(s) && (!int.TryParse(s, out scale) || scale is < 2 or > 8))
        {
            errors["scale"] = ["scale must be a whole number from 2 to 8."];
        }
        var model = form.TryGetValue("model", out var m) && !string.IsNullOrWhiteSpace(m) ? m.ToString().Trim() : options.DefaultModel ?? ModelCatalog.DefaultModel;
        // Only names of installed or catalog models: a client never points the server at a file.
        if (ModelCatalog.Find(model) is null && store.Find(model) is null)
        {
            errors["model"] = [$"Unknown model \"{model}\"; GET /api/v1/models lists the choices."];
        }
        ImageFormat? format = null;
        if (form.TryGetValue("format", out var f) && !string.IsNullOrEmpty(f) && (format = ImageFormats.Parse(f)) is null)
        {
            errors["format"] = ["format must be png, jpg, webp, tiff or bmp."];
        }
        int quality = 95;
        if (form.TryGetValue("quality", out var q) && !string.IsNullOrEmpty(q) && (!int.TryParse(q, out quality) || quality is < 1 or > 100))
        {
            errors["quality"] = ["quality must be a whole number from 1 to 100."];
        }
        if (errors.Count > 0)
        {
            return (null, Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)), title: "Invalid parameters"));
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        return (new Parsed(buffer.ToArray(), new UpscaleParameters(model, scale, format, quality)), null);
    }

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "Invalid parameters");
}
