namespace SuperRes.Imaging;

/// <summary>Walks the top-level blocks of PNG, JPEG and WebP files (chunks, segments) without decoding pixels.</summary>
internal static class ContainerChunks
{
    /// <summary>PNG chunks as (type, data); stops at IEND or at the end of the data.</summary>
    public static IEnumerable<(string Type, int Offset, int Length)> Png(byte[] d)
    {
        int pos = 8;
        while (pos + 8 <= d.Length)
        {
            int length = (int)Bytes.U32(d, pos, littleEndian: false);
            string type = System.Text.Encoding.ASCII.GetString(d, pos + 4, 4);
            if (length < 0 || pos + 12L + length > d.Length)
            {
                yield break;
            }
            yield return (type, pos + 8, length);
            if (type == "IEND")
            {
                yield break;
            }
            pos += 12 + length;
        }
    }

    /// <summary>JPEG marker segments before the image data, as (marker, payload offset, payload length).</summary>
    public static IEnumerable<(byte Marker, int Offset, int Length)> Jpeg(byte[] d)
    {
        int pos = 2;
        while (pos + 4 <= d.Length)
        {
            if (d[pos] != 0xFF)
            {
                yield break;
            }
            byte marker = d[pos + 1];
            if (marker == 0xFF)
            {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9)
            {
                yield break; // start of scan / end of image: no more headers
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                pos += 2;
                continue;
            }
            int length = Bytes.U16(d, pos + 2, littleEndian: false);
            if (length < 2 || pos + 2 + length > d.Length)
            {
                yield break;
            }
            yield return (marker, pos + 4, length - 2);
            pos += 2 + length;
        }
    }

    /// <summary>RIFF chunks of a WebP file, as (fourcc, payload offset, payload length).</summary>
    public static IEnumerable<(string FourCc, int Offset, int Length)> WebP(byte[] d)
    {
        int pos = 12;
        while (pos + 8 <= d.Length)
        {
            string fourcc = System.Text.Encoding.ASCII.GetString(d, pos, 4);
            long length = Bytes.U32(d, pos + 4, littleEndian: true);
            if (pos + 8 + length > d.Length)
            {
                yield break;
            }
            yield return (fourcc, pos + 8, (int)length);
            pos += 8 + (int)length + (int)(length & 1);
        }
    }
}
