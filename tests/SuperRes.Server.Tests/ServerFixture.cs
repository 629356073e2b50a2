namespace SuperRes.Server.Tests;

/// <summary>One server shared by the tests of a class: limits small enough to hit in tests.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerInstance Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerInstance.StartAsync(
        "Limits:MaxUploadBytes=3000000", "Limits:MaxMegapixels=2", "Limits:SyncMaxMegapixels=0.3", "Jobs:QueueCapacity=8", "Jobs:Workers=1");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
