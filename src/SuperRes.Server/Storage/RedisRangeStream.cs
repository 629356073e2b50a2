using StackExchange.Redis;

namespace SuperRes.Server.Storage;

/// <summary>A Redis string read front to back in ranges (GETRANGE), as a read-only stream of a known length.</summary>
public sealed class RedisRangeStream(IDatabase db, RedisKey key, long length) : Stream
{
    private const int RangeBytes = 1 << 20;
    private byte[] range = [];
    private int rangeAt;
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        await ReadAsync(buffer.AsMemory(offset, count), ct);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (rangeAt == range.Length)
        {
            if (position >= length)
            {
                return 0;
            }
            range = (byte[]?)await db.StringGetRangeAsync(key, position, Math.Min(length, position + RangeBytes) - 1) ?? [];
            rangeAt = 0;
            if (range.Length == 0)
            {
                return 0; // expired or deleted while it was being read
            }
        }
        int n = Math.Min(buffer.Length, range.Length - rangeAt);
        range.AsMemory(rangeAt, n).CopyTo(buffer);
        rangeAt += n;
        position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
