using System.Formats.Tar;
using System.IO.Compression;

namespace SuperRes.Models.Tools.Npm;

/// <summary>Unpacks the parts of an npm tarball we need, refusing entries that would land outside the target folder.</summary>
internal static class PackageArchive
{
    public static void Extract(string tgz, string prefix, string destination)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        using var file = File.OpenRead(tgz);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        try
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !entry.Name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }
                var target = Path.GetFullPath(Path.Combine(destination, entry.Name[prefix.Length..]));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new ModelException($"The package contains an unsafe path ({entry.Name}); it was not installed.");
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new ModelException("The downloaded package is not a valid tarball, so it was not installed.", e) { Reason = ModelProblem.Unavailable };
        }
    }
}
