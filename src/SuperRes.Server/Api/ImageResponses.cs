using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SuperRes.Imaging;

namespace SuperRes.Server.Api;

/// <summary>OpenAPI metadata of an endpoint that answers with an image: every format it can return, not just PNG
/// (the output keeps the input's format unless <c>format</c> asks for another).</summary>
public static class ImageResponses
{
    public static readonly string[] MediaTypes = [.. Enum.GetValues<ImageFormat>().Select(ImageFormats.MediaType).Distinct()];

    public static RouteHandlerBuilder ProducesImage(this RouteHandlerBuilder builder) =>
        builder.Produces(StatusCodes.Status200OK, typeof(byte[]), MediaTypes[0], MediaTypes[1..]);
}
