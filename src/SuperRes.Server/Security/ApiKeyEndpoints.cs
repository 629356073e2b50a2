using Microsoft.AspNetCore.Builder;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Security;

/// <summary>Which routes need an API key.</summary>
public static class ApiKeyEndpoints
{
    /// <summary>Requires a key on a route group when the server has keys.</summary>
    public static TBuilder RequireApiKeyIfConfigured<TBuilder>(this TBuilder builder, ServerOptions options) where TBuilder : IEndpointConventionBuilder =>
        options.Security.ApiKeys.Count > 0 ? builder.RequireAuthorization() : builder;
}
