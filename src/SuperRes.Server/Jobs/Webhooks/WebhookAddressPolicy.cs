using System.Net;
using System.Net.Sockets;

namespace SuperRes.Server.Jobs.Webhooks;

/// <summary>
/// Keeps webhooks off the server's own network: a target that resolves to an address that is not on the public
/// internet (loopback, private, link-local, carrier NAT, benchmarking, documentation, multicast, cloud metadata
/// services, or an IPv6 form that carries one of those IPv4 addresses) is refused unless its host is listed in
/// AllowedWebhookHosts. Checked on the addresses the connection is actually made to (after name resolution), so a
/// name that resolves differently later cannot slip by. A refusal names the host, never the address it resolved to.
/// </summary>
/// <param name="resolve">Name resolution (the system's by default; a test gives its own table).</param>
public sealed class WebhookAddressPolicy(IEnumerable<string> allowedHosts, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly HashSet<string> allowed = new(allowedHosts, StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve = resolve ?? Dns.GetHostAddressesAsync;

    /// <summary>Where a delivery to <paramref name="host"/> may connect; refuses (<see cref="WebhookRefusedException"/>) an internal target.</summary>
    public async Task<IPAddress[]> AddressesFor(string host, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolve(host, ct).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new WebhookRefusedException($"{host} does not resolve.");
        }
        if (!allowed.Contains(host) && addresses.Any(IsInternal))
        {
            throw new WebhookRefusedException($"{host} resolves to an internal address; list the host in AllowedWebhookHosts to allow it.");
        }
        return addresses;
    }

    /// <summary>Opens the connection for a delivery (SocketsHttpHandler.ConnectCallback), or refuses it.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await AddressesFor(context.DnsEndPoint.Host, ct).ConfigureAwait(false);
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

    /// <summary>Cloud instance-metadata services at public-looking addresses (AWS, GCP and others use 169.254.169.254,
    /// covered as link-local): Azure's wire server and Alibaba's metadata service.</summary>
    private static readonly IPAddress[] Metadata = [IPAddress.Parse("168.63.129.16"), IPAddress.Parse("100.100.100.200")];

    public static bool IsInternal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return EmbeddedIPv4(address) is { } v4 ? IsInternalV4(v4) : IsInternalV6(address);
        }
        return IsInternalV4(address);
    }

    /// <summary>
    /// The IPv4 address an IPv6 form carries, where it carries one: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d),
    /// NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) and 6to4 (2002:AABB:CCDD::/48). Null for others.
    /// </summary>
    public static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        var b = address.GetAddressBytes();
        bool zeros(int from, int to) => b[from..to].All(x => x == 0);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] == 1))
        {
            return new IPAddress(b[12..16]); // IPv4-compatible (deprecated, still routed by some stacks); not :: or ::1
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && (zeros(4, 12) || b[4] == 0x00 && b[5] == 0x01))
        {
            return new IPAddress(b[12..16]); // NAT64
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b[2..6]); // 6to4
        }
        return null;
    }

    private static bool IsInternalV6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (b[0] & 0xFE) == 0xFC // unique local fc00::/7
            || b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00 // Teredo 2001::/32 (tunnels to any IPv4)
            || b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 // documentation 2001:db8::/32
            || b[0] == 0x01 && b[1..8].All(x => x == 0); // discard 100::/64
    }

    private static bool IsInternalV4(IPAddress address)
    {
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || Metadata.Contains(address))
        {
            return true;
        }
        var b = address.GetAddressBytes();
        return b[0] == 0 || b[0] == 10 || b[0] == 127
            || b[0] == 100 && (b[1] & 0xC0) == 64 // carrier-grade NAT 100.64.0.0/10
            || b[0] == 169 && b[1] == 254 // link-local, cloud metadata 169.254.169.254
            || b[0] == 172 && (b[1] & 0xF0) == 16
            || b[0] == 192 && b[1] == 0 && b[2] == 0 // IETF protocol assignments 192.0.0.0/24
            || b[0] == 192 && b[1] == 0 && b[2] == 2 // documentation
            || b[0] == 192 && b[1] == 168
            || b[0] == 198 && (b[1] & 0xFE) == 18 // benchmarking 198.18.0.0/15
            || b[0] == 198 && b[1] == 51 && b[2] == 100 // documentation
            || b[0] == 203 && b[1] == 0 && b[2] == 113 // documentation
            || b[0] >= 224; // multicast, reserved, broadcast
    }
}

/// <summary>A delivery the address policy refused: reported on the job, never retried.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
