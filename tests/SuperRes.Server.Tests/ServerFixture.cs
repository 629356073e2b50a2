namespace SuperRes.Server.Tests;

/// <summary>One server shared by the tests of a class: limits small enough to hit in tests.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerInstance Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerInstance.StartAsync(
        "MaxUploadBytes=3000000", "MaxMegapixels=2", "SyncMaxMegapixels=0.3", "QueueCapacity=8", "Workers=1");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
