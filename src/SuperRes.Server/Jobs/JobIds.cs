using System.Security.Cryptography;

namespace SuperRes.Server.Jobs;

/// <summary>Job ids: 128 random bits as 32 lower-case hex digits, the same in every queue (and for the recipe's task ids).</summary>
public static class JobIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Anything else is answered 404 without a lookup.</summary>
    public static bool IsValid(string id) => id.Length == 32 && id.All(Uri.IsHexDigit);
}
