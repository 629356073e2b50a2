using System.Net;
using System.Net.Sockets;

namespace SuperRes.Server.Jobs.Webhooks;

/// <summary>
/// Keeps webhooks off the server's own network: a target that resolves to a loopback, private, link-local, carrier
/// or unspecified address is refused unless its host is listed in AllowedWebhookHosts. Checked on the addresses the
/// connection is actually made to (after DNS resolution), so a name that resolves differently later cannot slip by.
/// </summary>
public sealed class WebhookAddressPolicy(IEnumerable<string> allowedHosts)
{
    private readonly HashSet<string> allowed = new(allowedHosts, StringComparer.OrdinalIgnoreCase);

    /// <summary>Opens the connection for a delivery (SocketsHttpHandler.ConnectCallback), or refuses it.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new WebhookRefusedException($"{host} does not resolve.");
        }
        if (!allowed.Contains(host) && addresses.FirstOrDefault(IsInternal) is { } inside)
        {
            throw new WebhookRefusedException($"{host} resolves to {inside}, an internal address; list the host in AllowedWebhookHosts to allow it.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b6 = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b6[0] & 0xFE) == 0xFC; // fc00::/7
        }
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || b[0] == 127
            || b[0] == 172 && (b[1] & 0xF0) == 16
            || b[0] == 192 && b[1] == 168
            || b[0] == 169 && b[1] == 254
            || b[0] == 100 && (b[1] & 0xC0) == 64 // carrier-grade NAT
            || b[0] >= 224; // multicast and reserved
    }
}

/// <summary>A delivery the address policy refused: reported on the job, never retried.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
