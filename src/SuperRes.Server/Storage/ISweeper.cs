namespace SuperRes.Server.Storage;

/// <summary>Something that holds expiring data and drops what has expired when swept.</summary>
public interface ISweeper
{
    int Sweep();
}
