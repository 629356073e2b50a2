using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace SuperRes.Server.Security;

/// <summary>
/// Closes a connection on arrival when its address holds <paramref name="limit"/> open already (Kestrel's own limit is
/// for all addresses together: one client could take all of it).
/// </summary>
public sealed class ConnectionsPerAddress(int limit, Action onRefused)
{
    private readonly ConcurrentDictionary<IPAddress, int> open = new();

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (address is null)
        {
            await next(connection);
            return;
        }
        if (open.AddOrUpdate(address, 1, (_, n) => n + 1) > limit)
        {
            Leave(address);
            onRefused();
            connection.Abort(new ConnectionAbortedException("Too many connections from this address."));
            return;
        }
        try
        {
            await next(connection);
        }
        finally
        {
            Leave(address);
        }
    };

    private void Leave(IPAddress address)
    {
        if (open.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
        {
            open.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
        }
    }
}
