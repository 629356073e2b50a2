using System.Net;
using System.Net.Http.Headers;

namespace SuperRes.Server.Tests.Hardening;

/// <summary>API keys, cross-site posts, security headers, and cache hits that stay within one key.</summary>
public class SecurityTests : IAsyncLifetime
{
    private ServerInstance server = null!;

    public async Task InitializeAsync() => server = await ServerInstance.StartAsync("Security:ApiKeys:0=key-alpha", "Security:ApiKeys:1=key-beta", "Security:AllowedOrigins:0=https://friend.example");

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static byte[] Bird => File.ReadAllBytes(TestPaths.Set5Lr("bird", 4));

    private HttpRequestMessage Upscale(string? key, byte[]? image = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/upscale") { Content = Http.Form(image ?? Bird, "b.png", ("model", "esrgan-slim"), ("scale", "2")) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    [Fact]
    public async Task Api_keys_are_enforced_when_set()
    {
        using (var anonymous = await server.Client.SendAsync(Upscale(null)))
        {
            await anonymous.Problem(401);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        }
        using (var wrong = await server.Client.SendAsync(Upscale("key-gamma")))
        {
            await wrong.Problem(401);
        }
        using (var models = await server.Client.GetAsync("/api/v1/models"))
        {
            await models.Problem(401);
        }
        using var ok = await server.Client.SendAsync(Upscale("key-alpha"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/v1/models");
        header.Headers.Add("X-Api-Key", "key-beta");
        using var listed = await server.Client.SendAsync(header);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        using var health = await server.Client.GetAsync("/healthz"); // probes need no key
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_cache_hit_is_never_visible_across_keys()
    {
        using var flat = new OpenCvSharp.Mat(20, 24, OpenCvSharp.MatType.CV_8UC3, new OpenCvSharp.Scalar(10, 200, 90));
        var image = TestImage.Encode(flat, ".png");
        using var first = await server.Client.SendAsync(Upscale("key-alpha", image));
        using var again = await server.Client.SendAsync(Upscale("key-alpha", image));
        using var other = await server.Client.SendAsync(Upscale("key-beta", image));
        Assert.Equal("miss", first.Headers.GetValues("X-SuperRes-Cache").Single());
        Assert.Equal("hit", again.Headers.GetValues("X-SuperRes-Cache").Single());
        Assert.Equal("miss", other.Headers.GetValues("X-SuperRes-Cache").Single());
    }

    [Fact]
    public async Task A_cross_site_browser_post_is_refused_and_the_own_page_and_listed_origins_are_not()
    {
        var own = server.Address.GetLeftPart(UriPartial.Authority);
        var cases = new (string? Origin, string? Site, HttpStatusCode Expected)[]
        {
            ("https://evil.example", "cross-site", HttpStatusCode.Forbidden),
            ("https://evil.example", null, HttpStatusCode.Forbidden),          // an older browser: Origin only
            ("null", "cross-site", HttpStatusCode.Forbidden),                   // a sandboxed frame or a file: page
            (own, "same-origin", HttpStatusCode.OK),                            // the server's own web page
            ("https://friend.example", "cross-site", HttpStatusCode.OK),        // listed in AllowedOrigins
            (null, null, HttpStatusCode.OK),                                    // curl, scripts
        };
        foreach (var (origin, site, expected) in cases)
        {
            using var request = Upscale("key-alpha");
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            if (site is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", site);
            }
            using var response = await server.Client.SendAsync(request);
            Assert.True(expected == response.StatusCode, $"Origin {origin}, Sec-Fetch-Site {site}: {(int)response.StatusCode}");
            if (expected == HttpStatusCode.Forbidden)
            {
                await response.Problem(403);
            }
        }
    }

    [Fact]
    public async Task Security_headers_are_on_the_page_and_the_api()
    {
        foreach (var path in new[] { "/", "/api/v1/models", "/healthz" })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task Only_loopback_host_names_are_answered_on_a_loopback_server()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = "rebound.example";
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
