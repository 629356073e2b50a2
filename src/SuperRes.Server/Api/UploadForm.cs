using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using SuperRes.Imaging;
using SuperRes.Models;
using SuperRes.Server.Jobs;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Security;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Api;

/// <summary>
/// Reads the multipart fields every upscale endpoint takes (image, scale, model, format, quality, restore) and
/// validates them. The upload is kept in memory under no name of the client's choosing.
/// </summary>
public static partial class UploadForm
{
    public sealed record Parsed(byte[] Image, UpscaleParameters Parameters, Jobs.Webhooks.WebhookTarget? Webhook)
    {
        public JobRequest Job => new(Parameters, Webhook);
    }

    /// <returns>The parsed form, or a 400/413 problem result.</returns>
    public static async Task<(Parsed? Form, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, ServerOptions options, ModelStore store, CancellationToken ct)
    {
        if (request.ContentLength > options.Limits.MaxUploadBytes + 64 * 1024)
        {
            // Answered without reading the body: the connection cannot carry another request after it.
            request.HttpContext.Response.Headers.Connection = "close";
            return (null, TypedResults.Problem(statusCode: 413, title: "Upload too large",
                detail: $"The upload is {request.ContentLength} bytes; the limit is {options.Limits.MaxUploadBytes} bytes."));
        }
        if (!request.HasFormContentType)
        {
            return (null, Invalid("form", "Send multipart/form-data with the image in a field named \"image\"."));
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (MalformedBody(e, ct) is { } problem)
        {
            return (null, problem);
        }
        var file = form.Files.GetFile("image");
        if (file is null)
        {
            return (null, Invalid("image", "The form has no file field named \"image\"."));
        }
        if (file.Length > options.Limits.MaxUploadBytes)
        {
            return (null, TypedResults.Problem(statusCode: 413, title: "Upload too large",
                detail: $"The image is {file.Length} bytes; the limit is {options.Limits.MaxUploadBytes} bytes."));
        }

        var errors = new Dictionary<string, string[]>();
        int scale = options.DefaultScale;
        if (form.TryGetValue("scale", out var s) && !string.IsNullOrEmpty(s) && !int.TryParse(s, out scale))
        {
            errors["scale"] = [$"scale must be a whole number from {UpscaleRequest.MinScale} to {UpscaleRequest.MaxScale}."];
        }
        var sent = form.TryGetValue("model", out var m) && !string.IsNullOrWhiteSpace(m) ? m.ToString().Trim() : options.DefaultModel ?? ModelCatalog.DefaultModel;
        // Only names of installed or catalog models, checked as sent and replaced by the model's own name:
        // a client never points the server at a file (the store would fold "A/B" into "a-b").
        var model = CanonicalModelName(sent, store);
        if (model is null)
        {
            errors["model"] = [$"Unknown model \"{sent}\"; GET /api/v1/models lists the choices."];
        }
        ImageFormat? format = null;
        if (form.TryGetValue("format", out var f) && !string.IsNullOrEmpty(f) && (format = ImageFormats.Parse(f)) is null)
        {
            errors["format"] = [$"format must be {ImageFormats.OutputList}."];
        }
        var colour = ColourMode.Keep;
        if (form.TryGetValue("colour", out var cm) && !string.IsNullOrEmpty(cm))
        {
            colour = ColourModes.Parse(cm) ?? ColourMode.Keep;
            if (ColourModes.Parse(cm) is null)
            {
                errors["colour"] = ["colour must be keep (back to the input's own profile) or srgb."];
            }
        }
        int quality = 95;
        if (form.TryGetValue("quality", out var q) && !string.IsNullOrEmpty(q) && !int.TryParse(q, out quality))
        {
            errors["quality"] = ["quality must be a whole number from 1 to 100."];
        }
        bool ensemble = false;
        if (form.TryGetValue("ensemble", out var en) && !string.IsNullOrEmpty(en) && !TryParseFlag(en.ToString(), out ensemble))
        {
            errors["ensemble"] = ["ensemble must be true or false."];
        }
        var restore = Restoration.Restore.Parse(form.TryGetValue("restore", out var rs) ? rs.ToString() : null, out var restoreError);
        if (restoreError is not null)
        {
            errors["restore"] = [restoreError];
        }
        // The library's rules for what the fields hold (ranges, writable formats, restoring pairs), as the CLI has them.
        var asked = new UpscaleRequest { Model = model, Scale = scale, Format = format, Quality = quality, Restore = restore ?? default };
        foreach (var problem in asked.Validate().Where(p => !errors.ContainsKey(p.Field) && (p.Field != "restore" || model is not null)))
        {
            errors[problem.Field] = [problem.Message];
        }
        Jobs.Webhooks.WebhookTarget? webhook = null;
        if (form.TryGetValue("webhook", out var hook) && !string.IsNullOrWhiteSpace(hook))
        {
            if (options.Webhooks.Secret is null)
            {
                errors["webhook"] = ["This server sends no webhooks (it has no WebhookSecret); follow the job's events stream or poll it instead."];
            }
            else
            {
                var (target, error) = Jobs.Webhooks.WebhookTarget.TryCreate(hook.ToString(), form.TryGetValue("webhook_events", out var ev) ? ev.ToString() : null);
                if (error is not null)
                {
                    errors["webhook"] = [error];
                }
                webhook = target;
            }
        }
        if (errors.Count > 0)
        {
            return (null, ValidationProblem(errors));
        }

        // One copy: straight from the form's buffer (memory or temp file) into an array of the exact size.
        var image = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(image, ct);
        }
        var tenant = ApiKeyAuthentication.Tenant(request.HttpContext.User);
        var parameters = new UpscaleParameters(model!, scale, format, quality, tenant, ensemble, restore ?? Restoration.Restore.Auto, colour)
        {
            Client = ClientIdentity.Of(request.HttpContext),
        };
        return (new Parsed(image, parameters, webhook), null);
    }

    private static bool TryParseFlag(string text, out bool value)
    {
        value = text.Trim().ToLowerInvariant() is "true" or "1" or "on" or "yes";
        return value || text.Trim().ToLowerInvariant() is "false" or "0" or "off" or "no";
    }

    private static string? CanonicalModelName(string sent, ModelStore store)
    {
        if (!ModelName().IsMatch(sent))
        {
            return null;
        }
        return ModelCatalog.Find(sent)?.Name
            ?? (store.Find(sent) is { } installed && string.Equals(installed.Name, sent, StringComparison.OrdinalIgnoreCase) ? installed.Name : null);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex ModelName();

    /// <summary>
    /// What a broken multipart body is: 413 only when the body itself is over the limit; a missing or wrong
    /// boundary, a truncated body or garbage is the client's error (400), never the server's.
    /// </summary>
    private static ProblemHttpResult? MalformedBody(Exception e, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return null; // the client went away: nothing to answer
        }
        return e switch
        {
            BadHttpRequestException { StatusCode: 413 } => TooLarge(),
            InvalidDataException d when d.Message.StartsWith("Multipart body length limit", StringComparison.Ordinal) => TooLarge(),
            InvalidDataException or IOException or BadHttpRequestException =>
                Invalid("form", "The multipart/form-data body is malformed (missing or wrong boundary, truncated, or not multipart)."),
            _ => null,
        };
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: 413, title: "Upload too large", detail: "The upload is larger than the server accepts.");

    private static ProblemHttpResult Invalid(string field, string message) => ValidationProblem(new() { [field] = [message] });

    /// <summary>400 with the fields and what is wrong with each (a validation problem body, "errors" by field).</summary>
    private static ProblemHttpResult ValidationProblem(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid parameters",
            Detail = string.Join(" ", errors.Values.SelectMany(v => v)),
        });
}
