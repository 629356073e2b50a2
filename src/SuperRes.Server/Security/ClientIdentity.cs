using Microsoft.AspNetCore.Http;

namespace SuperRes.Server.Security;

/// <summary>Who a request counts against: its API key where the server has keys, else the address it came from.</summary>
public static class ClientIdentity
{
    public static string Of(HttpContext context) =>
        ApiKeyAuthentication.Tenant(context.User) is { Length: > 0 } key ? "key:" + key : "address:" + context.Connection.RemoteIpAddress;
}
