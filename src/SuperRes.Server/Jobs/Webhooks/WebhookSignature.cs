using System.Security.Cryptography;
using System.Text;

namespace SuperRes.Server.Jobs.Webhooks;

/// <summary>
/// The signature header of a delivery, as Stripe-style receivers check it: <c>t=UNIX_SECONDS,v1=HEX</c>, where HEX is
/// HMAC-SHA256 under the server's secret of "<c>{t}.{url}.{body}</c>". The timestamp inside the signed text lets a
/// receiver refuse old deliveries replayed at it; the target URL inside it lets a receiver refuse a delivery meant
/// for another URL (one tenant replaying to another's receiver what it received itself).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-SuperRes-Signature";

    public static string Sign(string secret, long unixSeconds, Uri url, ReadOnlySpan<byte> body)
    {
        var signed = Encoding.UTF8.GetBytes($"{unixSeconds}.{url.AbsoluteUri}.").Concat(body.ToArray()).ToArray();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a receiver does: recompute over its own URL and compare in constant time, and refuse stale timestamps.</summary>
    public static bool Verify(string secret, string header, Uri url, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var seconds) || !parts.TryGetValue("v1", out var given)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }
        var expected = Sign(secret, seconds, url, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header.Trim()));
    }
}
