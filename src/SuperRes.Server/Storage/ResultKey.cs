using System.Security.Cryptography;
using System.Text;

namespace SuperRes.Server.Storage;

/// <summary>
/// Names a result by what determines it: SHA-256 of the input bytes plus every parameter that changes the
/// output, hashed again so no client text reaches a file name or Redis key. A job run twice (after a
/// worker crash) writes under the same name, overwriting rather than duplicating.
/// </summary>
public static class ResultKey
{
    public static string For(byte[] input, string parameters) =>
        Hash(Convert.ToHexStringLower(SHA256.HashData(input)) + "|" + parameters);

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
