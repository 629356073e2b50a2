namespace SuperRes.Server.Jobs.Webhooks;

/// <summary>Lets a progress webhook through once per tenth of the work (and never for the start or the end, which
/// the job's final event covers), so a many-tile job does not flood its receiver.</summary>
public sealed class ProgressTenths
{
    private int last;

    public bool Crossed(double fraction)
    {
        int tenth = (int)Math.Floor(fraction * 10);
        if (tenth <= 0 || tenth >= 10)
        {
            return false;
        }
        int seen = Volatile.Read(ref last);
        return tenth > seen && Interlocked.CompareExchange(ref last, tenth, seen) == seen;
    }
}
