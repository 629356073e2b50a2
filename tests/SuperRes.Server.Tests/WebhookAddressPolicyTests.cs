using System.Net;
using SuperRes.Server.Jobs.Webhooks;

namespace SuperRes.Server.Tests;

/// <summary>
/// The address policy over the address forms, as a function and through name resolution. No test opens a connection
/// to anything but loopback: names resolve through a table here, and a refused target is refused before any socket.
/// </summary>
public class WebhookAddressPolicyTests
{
    public static TheoryData<string, bool> Addresses => new()
    {
        { "127.0.0.1", true }, { "10.1.2.3", true }, { "172.16.0.1", true }, { "192.168.1.1", true }, { "0.0.0.0", true },
        { "169.254.169.254", true }, { "168.63.129.16", true }, { "100.100.100.200", true }, { "100.64.0.1", true },
        { "192.0.0.1", true }, { "198.18.0.1", true }, { "198.19.255.255", true }, { "192.0.2.7", true }, { "198.51.100.7", true },
        { "203.0.113.7", true }, { "224.0.0.1", true }, { "255.255.255.255", true },
        { "::1", true }, { "::", true }, { "fe80::1", true }, { "fc00::1", true }, { "fd12:3456::1", true }, { "ff02::1", true },
        { "::ffff:127.0.0.1", true }, { "::ffff:10.0.0.1", true }, { "::127.0.0.1", true }, { "::10.0.0.1", true },
        { "64:ff9b::a9fe:a9fe", true }, { "64:ff9b::127.0.0.1", true }, { "64:ff9b:1::10.0.0.1", true }, { "2002:7f00:1::", true },
        { "2002:a9fe:a9fe::1", true }, { "2001::1", true }, { "2001:db8::1", true }, { "100::1", true },
        // The public internet stays reachable, in each form.
        { "93.184.216.34", false }, { "8.8.8.8", false }, { "::ffff:8.8.8.8", false }, { "64:ff9b::808:808", false },
        { "2002:808:808::1", false }, { "2606:4700:4700::1111", false }, { "198.20.0.1", false }, { "100.128.0.1", false },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void Each_address_form_is_judged(string address, bool internalAddress) =>
        Assert.Equal(internalAddress, WebhookAddressPolicy.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task A_name_that_resolves_to_an_internal_address_is_refused_without_naming_it(string address, bool internalAddress)
    {
        var policy = new WebhookAddressPolicy([], (host, _) => Task.FromResult(host == "hooks.example" ? new[] { IPAddress.Parse(address) } : []));
        if (internalAddress)
        {
            var e = await Assert.ThrowsAsync<WebhookRefusedException>(() => policy.AddressesFor("hooks.example", CancellationToken.None));
            Assert.Equal("hooks.example resolves to an internal address; list the host in AllowedWebhookHosts to allow it.", e.Message);
        }
        else
        {
            Assert.Equal([IPAddress.Parse(address)], await policy.AddressesFor("hooks.example", CancellationToken.None));
        }
    }

    [Fact]
    public async Task One_internal_address_among_public_ones_refuses_the_name_and_a_listed_host_passes()
    {
        IPAddress[] mixed = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("::ffff:169.254.169.254")];
        var policy = new WebhookAddressPolicy(["internal.example"], (_, _) => Task.FromResult(mixed));
        await Assert.ThrowsAsync<WebhookRefusedException>(() => policy.AddressesFor("hooks.example", CancellationToken.None));
        Assert.Equal(mixed, await policy.AddressesFor("internal.example", CancellationToken.None));
        var nothing = new WebhookAddressPolicy([], (_, _) => Task.FromResult(Array.Empty<IPAddress>()));
        Assert.Equal("gone.example does not resolve.",
            (await Assert.ThrowsAsync<WebhookRefusedException>(() => nothing.AddressesFor("gone.example", CancellationToken.None))).Message);
    }
}
