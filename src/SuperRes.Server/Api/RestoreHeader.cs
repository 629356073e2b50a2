using Microsoft.AspNetCore.Http;
using SuperRes.Restoration;

namespace SuperRes.Server.Api;

/// <summary>
/// <c>X-SuperRes-Restore: 0.9 (auto: JPEG quality 60)</c> on every response that carries an upscaled image whose model
/// restores: the strength used, and what auto read from the file to choose it.
/// </summary>
public static class RestoreHeader
{
    public const string Name = "X-SuperRes-Restore";

    public static void Add(HttpContext context, RestoreChoice? restore)
    {
        if (restore is not null)
        {
            context.Response.Headers[Name] = restore.ToString();
        }
    }
}
