using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Security;

/// <summary>
/// The optional API keys (<see cref="ServerOptions.ApiKeys"/>), as an ASP.NET Core authentication scheme: a
/// request names its key in <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>. The identity is a
/// short hash of the key, never the key itself, and it is the tenant results are cached under.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<ServerOptions> server)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private readonly byte[][] keys = server.Value.Security.ApiKeys.Where(k => k.Length > 0).Select(k => Encoding.UTF8.GetBytes(k)).ToArray();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? sent = Request.Headers["X-Api-Key"].FirstOrDefault();
        var authorization = Request.Headers.Authorization.FirstOrDefault();
        if (sent is null && authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            sent = authorization["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(sent))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var bytes = Encoding.UTF8.GetBytes(sent);
        // Constant-time comparison against every key: how long a check takes says nothing about the keys.
        bool known = false;
        foreach (var key in keys)
        {
            known |= CryptographicOperations.FixedTimeEquals(key, bytes);
        }
        if (!known)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, KeyId(sent))], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: 401, title: "API key required",
            detail: "This server needs an API key: send it as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.").ExecuteAsync(Context);
    }

    /// <summary>The tenant of a request: its key's id, or "" when the server has no keys.</summary>
    public static string Tenant(ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true, Name: { } name } ? name : "";

    private static string KeyId(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
}
